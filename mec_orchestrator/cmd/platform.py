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
"""mec-platform-api: the MEC platform's Mp1 API and its DNS responder.

Serves ``/mec_app_support/v1``, ``/mec_service_mgmt/v1`` and the token
endpoint ``/mep/token`` on ``[platform] host``:``port``, and, with the
``responder`` DNS driver, answers the active DNS rules on ``[platform]
dns_host``:``dns_port`` (UDP and TCP). For production, a WSGI server of
the operator's choice can also run
``mec_orchestrator.platform.wsgi:application``; the DNS responder then
runs here with ``--dns-only``.
"""

import argparse
import sys
import time

from oslo_log import log

from mec_orchestrator.cmd import api as api_cmd
from mec_orchestrator.common import service
from mec_orchestrator import conf
from mec_orchestrator.db import api as dbapi
from mec_orchestrator.platform import app

CONF = conf.CONF
LOG = log.getLogger(__name__)


def active_dns_rules():
    """The DNS rules the responder answers: those ACTIVE now."""
    return [dict(rule.body, state=rule.state)
            for rule in dbapi.get_instance().list_mep_rules(
                kind='dns', state='ACTIVE')]


def start_dns_responder(tolerant=False):
    """Start the platform's DNS responder, if configured.

    :param tolerant: when its address cannot be bound (taken by another
        process), log an error and go on without it instead of failing:
        the all-in-one, a demo, still serves its APIs.
    :returns: the running responder, or None.
    :raises: OSError when the address cannot be bound (not tolerant).
    """
    if CONF.platform.dns_driver != 'responder' or not CONF.platform.dns_port:
        return None
    from mec_orchestrator.platform import dns
    responder = dns.DnsResponder(
        active_dns_rules, host=CONF.platform.dns_host,
        port=CONF.platform.dns_port, refresh=CONF.platform.dns_refresh)
    try:
        responder.start()
    except OSError as e:
        if not tolerant:
            raise
        LOG.error('The DNS responder cannot bind %(host)s port %(port)d '
                  '(%(err)s): DNS rules are not answered; set [platform] '
                  'dns_port to a free port, or 0', {
                      'host': CONF.platform.dns_host,
                      'port': CONF.platform.dns_port, 'err': e})
        return None
    return responder


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog='mec-platform-api', add_help=False)
    parser.add_argument('--dns-only', action='store_true')
    args, rest = parser.parse_known_args(argv)
    service.prepare_service(rest)
    responder = start_dns_responder()
    try:
        if args.dns_only:
            if responder is None:
                LOG.error('--dns-only needs [platform] dns_driver = '
                          'responder and a dns_port')
                return 1
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
        else:
            api_cmd.serve(app.setup_app(), CONF.platform.host,
                          CONF.platform.port)
    finally:
        if responder is not None:
            responder.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
