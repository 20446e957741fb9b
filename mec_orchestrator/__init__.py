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
"""MEC Orchestrator: an OpenStack-native ETSI MEC management plane."""

import warnings

# futurist imports eventlet, when installed, only to detect it; the project
# never uses it, so its deprecation warning is noise.
warnings.filterwarnings('ignore', message='\nEventlet is deprecated',
                        module='futurist._utils')

from oslo_service import backend as _oslo_service_backend  # noqa: E402

# The project never uses eventlet: any oslo.service component loaded in
# this process uses the threading backend unless told otherwise.
_oslo_service_backend.register_backend_default_hook(
    lambda: _oslo_service_backend.BackendType.THREADING)
