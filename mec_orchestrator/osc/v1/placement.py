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
"""``openstack mec placement preview`` and ``openstack mec grant show``."""

import json

from osc_lib.command import command
from osc_lib import exceptions

from mec_orchestrator.osc.v1 import common


class PreviewPlacement(command.Lister):
    """Rank the MEC hosts for an instance of an AppD (claims nothing).

    Hosts that pass every filter are listed with their weight; with
    --rejected, the hosts that did not, with the filter and the reason.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('appd_id', metavar='<appd-id>',
                            help='appDId of an onboarded app package.')
        parser.add_argument('--user-area', metavar='<area>',
                            help='User area for the latency checks.')
        parser.add_argument('--request', metavar='<json-file>',
                            help='An InstantiateAppRequest (JSON file): '
                                 'selectedMECHostInfo, '
                                 'locationConstraints...')
        parser.add_argument('--rejected', action='store_true',
                            help='List the rejected hosts and why.')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        body = {'appDId': args.appd_id}
        if args.user_area:
            body['userArea'] = args.user_area
        if args.request:
            try:
                with open(args.request) as f:
                    body['instantiateAppRequest'] = json.load(f)
            except (OSError, ValueError) as e:
                raise exceptions.CommandError('--request: %s' % e)
        decision = client.preview_placement(body)
        if args.rejected:
            rows = [{'id': host_id, 'filter': r['filter'], 'reason': reason}
                    for r in decision['rejected']
                    for host_id, reason in r['hosts'].items()]
            return common.listing(rows, ('id', 'filter', 'reason'), args)
        rows = [dict(h, chosen=bool(decision['chosen']) and
                     h['id'] == decision['chosen']['id'])
                for h in decision['ranked']]
        if not rows:
            reasons = '; '.join('%s rejected %d' % (r['filter'],
                                                    r['rejected'])
                                for r in decision['rejected'])
            raise exceptions.CommandError(
                'No valid MEC host (%s); see --rejected.'
                % (reasons or 'no host'))
        return common.listing(rows, ('id', 'name', 'weight', 'chosen'),
                              args)


class ShowGrant(command.ShowOne):
    """Show a grant the MEO gave."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('grant', metavar='<grant-id>')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        grant = client.grant(args.grant)
        if grant is None:
            raise exceptions.CommandError('The grant is still being '
                                          'decided; try again.')
        return common.show(grant, None, args)
