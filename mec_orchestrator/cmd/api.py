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
"""mec-orchestrator-api: the API service in a threaded WSGI server.

For production, a WSGI server of the operator's choice can also run
``mec_orchestrator.api.wsgi:application``.
"""

import sys

from oslo_log import log
import waitress

from mec_orchestrator.api import app
from mec_orchestrator.common import service
from mec_orchestrator import conf

CONF = conf.CONF
LOG = log.getLogger(__name__)


def serve(application, host, port):
    """Serve a WSGI application until interrupted.

    :param application: the WSGI application.
    :param host: the address to listen on.
    :param port: the port to listen on.
    """
    # The application enforces the body limits, per route; waitress must
    # not refuse a package upload first (its default stops at 1 GiB).
    max_body = max(CONF.app_package.max_package_size,
                   CONF.api.max_request_body_size) + 1
    server = waitress.create_server(
        application, host=host, port=port, threads=CONF.api.api_workers,
        ident='mec-orchestrator', clear_untrusted_proxy_headers=False,
        max_request_body_size=max_body)
    LOG.info('Serving the API on http://%(host)s:%(port)s/',
             {'host': host, 'port': server.effective_port})
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def main(argv=None):
    service.prepare_service(sys.argv[1:] if argv is None else argv)
    serve(app.setup_app(), CONF.api.host_ip, CONF.api.port)


if __name__ == '__main__':
    sys.exit(main())
