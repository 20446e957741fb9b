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
"""Outbound HTTP requests to URIs given by users, behind an SSRF guard.

Every request the service makes to a URI it did not choose (application
package URIs, notification callbacks, OAuth 2.0 token endpoints) goes
through :mod:`.client`:

* :mod:`.addresses`: which addresses may be reached (the address policy);
* :mod:`.urls`: parsing and checking a URL, and resolving its host once;
* :mod:`.transport`: a requests adapter that connects to the address that
  was checked, never resolving the host again;
* :mod:`.client`: ``request``, ``fetch_to_file`` and ``iter_content``,
  with manual redirects, size and time limits;
* :mod:`.errors`: the exceptions.

The client's functions and the exceptions are available from this package.
"""

from mec_orchestrator.common.outbound.client import fetch_to_file
from mec_orchestrator.common.outbound.client import iter_content
from mec_orchestrator.common.outbound.client import request
from mec_orchestrator.common.outbound.errors import ChecksumMismatch
from mec_orchestrator.common.outbound.errors import OutboundHTTPError
from mec_orchestrator.common.outbound.errors import OutboundRequestFailed
from mec_orchestrator.common.outbound.errors import OutboundRequestRefused
from mec_orchestrator.common.outbound.errors import OutboundResponseTooLarge
from mec_orchestrator.common.outbound.errors import OutboundTimeout

__all__ = ['ChecksumMismatch', 'OutboundHTTPError', 'OutboundRequestFailed',
           'OutboundRequestRefused', 'OutboundResponseTooLarge',
           'OutboundTimeout', 'fetch_to_file', 'iter_content', 'request']
