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

"""Reading MEC application packages (pure library: no HTTP, no database).

Public API:

* :func:`read_package` -- read, check and normalize a package file into an
  :class:`AppPackage` whose ``appd`` is the MEC 010-2 AppD;
* :func:`read_appd_document` -- normalize one AppD document (JSON/YAML AppD
  or a TOSCA template);
* :class:`Limits` -- the limits a package is read under
  (``Limits.from_conf(CONF)`` builds them from ``[packaging]``);
* :mod:`~mec_orchestrator.packaging.errors` -- what can go wrong.

tosca-parser is imported only when a TOSCA template is parsed.
"""

from mec_orchestrator.packaging.appd import read_appd_document
from mec_orchestrator.packaging.limits import Limits
from mec_orchestrator.packaging.package import AppPackage
from mec_orchestrator.packaging.package import read_package

__all__ = ['AppPackage', 'Limits', 'read_appd_document', 'read_package']
