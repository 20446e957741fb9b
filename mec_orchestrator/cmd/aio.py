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
"""mec-orchestrator-aio: the API, the MEC platform's Mp1 API and a
conductor in one process.

The embedded default for labs, demos and tests: SQLite under the state
directory (migrated on start), in-process RPC unless ``transport_url`` is
set, and the noauth strategy unless the configuration selects Keystone.

Usage::

    mec-orchestrator-aio [--host 127.0.0.1] [--port 9898]
                         [--state-dir DIR] [--config-file FILE]
"""

import argparse
import os
import signal
import sys

from oslo_config import cfg
from oslo_log import log

from mec_orchestrator.api import app
from mec_orchestrator.cmd import api as api_cmd
from mec_orchestrator.cmd import platform as platform_cmd
from mec_orchestrator.common import rpc
from mec_orchestrator.common import rpc_service
from mec_orchestrator.common import service
from mec_orchestrator import conf
from mec_orchestrator.db import migration
from mec_orchestrator.platform import app as platform_app

CONF = conf.CONF
LOG = log.getLogger(__name__)


def _default_state_dir():
    base = os.environ.get('XDG_STATE_HOME') or os.path.join(
        os.path.expanduser('~'), '.local', 'state')
    return os.path.join(base, 'mec-orchestrator')


def _parse_args(argv):
    parser = argparse.ArgumentParser(
        prog='mec-orchestrator-aio', add_help=False,
        description='Run the API and a conductor in one process.')
    parser.add_argument('--host', default='127.0.0.1',
                        help='Address to listen on (default: 127.0.0.1).')
    parser.add_argument('--port', type=int, default=9898,
                        help='Port to listen on (default: 9898).')
    parser.add_argument('--state-dir', default=_default_state_dir(),
                        help='Directory of the SQLite database and other '
                             'state (default: %(default)s).')
    return parser.parse_known_args(argv)


def _transport_url_given():
    # oslo.messaging defaults transport_url to rabbit://; only a value the
    # operator set selects it.
    location = CONF.get_location('transport_url')
    return bool(CONF.transport_url) and (
        location.location is not cfg.Locations.opt_default)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args, rest = _parse_args(argv)
    if '-h' in rest or '--help' in rest:
        print(__doc__)
    state_dir = os.path.abspath(args.state_dir)
    os.makedirs(state_dir, mode=0o700, exist_ok=True)

    rpc.register_opts(CONF)
    CONF.set_default('auth_strategy', 'noauth')
    CONF.set_default('state_path', state_dir)
    # The Mp1 API is served here too: apps are given this address.
    CONF.set_default('host', args.host, group='platform')
    CONF.set_default('port', args.port, group='platform')
    CONF.set_default(
        'connection',
        'sqlite:///%s' % os.path.join(state_dir, 'mec-orchestrator.sqlite'),
        group='database')
    service.prepare_service(rest)
    if not _transport_url_given():
        CONF.set_override('rpc_transport', 'local')
    LOG.info('State in %(dir)s; RPC %(rpc)s; auth %(auth)s',
             {'dir': state_dir, 'rpc': CONF.rpc_transport,
              'auth': CONF.auth_strategy})

    migration.upgrade()
    conductor = rpc_service.RPCService(CONF.host)
    conductor.start()

    def _terminate(signum, frame):
        raise KeyboardInterrupt()

    signal.signal(signal.SIGTERM, _terminate)
    responder = platform_cmd.start_dns_responder(tolerant=True)
    try:
        api_cmd.serve(platform_app.Dispatcher(app.setup_app(),
                                              platform_app.setup_app()),
                      args.host, args.port)
    finally:
        if responder is not None:
            responder.stop()
        conductor.stop()
        rpc.cleanup()
    return 0


if __name__ == '__main__':
    sys.exit(main())
