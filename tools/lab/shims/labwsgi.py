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
"""WSGI entry point that hides gunicorn's command line from oslo.config.

OpenStack WSGI apps parse ``sys.argv`` with oslo.config when imported;
under gunicorn that is gunicorn's own command line, and the worker exits on
the unknown options. gunicorn loads ``labwsgi:application``; this module
resets ``sys.argv`` to the program name plus ``LAB_WSGI_ARGS`` (for apps
that take their config file from the command line, like Heat) and then
imports the real app named by ``LAB_WSGI_APP`` (``module:attribute``).
"""

import importlib
import os
import shlex
import sys

sys.argv = sys.argv[:1] + shlex.split(os.environ.get('LAB_WSGI_ARGS', ''))
_module, _attr = os.environ['LAB_WSGI_APP'].split(':')
application = getattr(importlib.import_module(_module), _attr)
