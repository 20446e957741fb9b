#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.
"""The [database] group: oslo.db's options with the project's defaults."""

from oslo_db import options as db_options

# Options of oslo.db are listed by oslo.db's own namespace in the config
# generator; the project only sets its defaults.
opts = []


def register_opts(conf):
    db_options.set_defaults(conf)
