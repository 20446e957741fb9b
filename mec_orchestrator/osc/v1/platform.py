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
"""``openstack mec service|app rule|app platform ...``: the MEC platforms.

What the MEC platforms hold of the project's app instances: the services
their apps registered, their traffic and DNS rules with the state the
data plane has, and their state on the platform.
"""


from osc_lib.command import command

from mec_orchestrator.osc.v1 import app_instance
from mec_orchestrator.osc.v1 import common

SERVICE_LIST_COLUMNS = ('serInstanceId', 'serName', 'version', 'state',
                        'appInstanceId', 'mecHostId')
SERVICE_SHOW_COLUMNS = ('serInstanceId', 'serName', 'serCategory', 'version',
                        'state', 'appInstanceId', 'mecHostId',
                        'transportInfo', 'serializer', 'scopeOfLocality',
                        'consumedLocalOnly', 'isLocal', 'livenessInterval')
RULE_LIST_COLUMNS = ('kind', 'id', 'state', 'appliedState', 'error')
RULE_SHOW_COLUMNS = ('kind', 'id', 'state', 'appliedState', 'error', 'rule')
PLATFORM_SHOW_COLUMNS = ('state', 'confirmReady', 'readyAt', 'mecHostId',
                         'services')

RULE_KINDS = ('traffic', 'dns')

#: Titles that common.title cannot guess.
_TITLES = {'serInstanceId': 'ID', 'serName': 'Name',
           'serCategory': 'Category', 'appInstanceId': 'App Instance ID',
           'mecHostId': 'MEC Host ID', 'appliedState': 'Applied',
           'livenessInterval': 'Liveness Interval'}


def _titled(result, columns, args):
    names, values = result
    if getattr(args, 'formatter', None) in common.MACHINE_FORMATS:
        return names, values
    return (tuple(_TITLES.get(c, n)
                  for c, n in zip(columns, names, strict=True)), values)


def _show(item, columns, args):
    columns = [c for c in columns if c in item]
    return _titled(common.show(item, columns, args), columns, args)


class ListService(command.Lister):
    """List the services registered on the MEC platforms."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--app-instance', metavar='<app-instance>',
                            help='Only the services of this app instance '
                                 '(ID or name).')
        parser.add_argument('--host', metavar='<mec-host-id>',
                            help='Only the services of this MEC host.')
        parser.add_argument('--name', metavar='<ser-name>',
                            help='Only the services of this name.')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        instance = (app_instance.find_instance(client, args.app_instance)
                    if args.app_instance else None)
        items = client.mec_services(app_instance_id=instance,
                                    mec_host_id=args.host,
                                    ser_name=args.name)
        return _titled(common.listing(items, SERVICE_LIST_COLUMNS, args),
                       SERVICE_LIST_COLUMNS, args)


class ShowService(command.ShowOne):
    """Show a service registered on a MEC platform."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('service', metavar='<ser-instance-id>')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        service = client.mec_service(args.service)
        return _show(service, SERVICE_SHOW_COLUMNS, args)


def _add_app_instance(parser):
    parser.add_argument('app_instance', metavar='<app-instance>',
                        help='The app instance (ID or name).')


def _rule_kind(parser, help_text):
    parser.add_argument('--kind', choices=RULE_KINDS, help=help_text)


class ListAppRule(command.Lister):
    """List the traffic and DNS rules of an app instance."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_app_instance(parser)
        _rule_kind(parser, 'Only the rules of this kind.')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        instance = app_instance.find_instance(client, args.app_instance)
        items = client.app_rules(instance, kind=args.kind)
        return _titled(common.listing(items, RULE_LIST_COLUMNS, args),
                       RULE_LIST_COLUMNS, args)


class ShowAppRule(command.ShowOne):
    """Show a traffic or DNS rule of an app instance."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_app_instance(parser)
        parser.add_argument('rule', metavar='<rule-id>',
                            help='The trafficRuleId or dnsRuleId.')
        _rule_kind(parser, 'The rule\'s kind, needed when the app instance '
                           'has a traffic rule and a DNS rule of that ID.')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        instance = app_instance.find_instance(client, args.app_instance)
        rule = client.app_rule(instance, args.rule, kind=args.kind)
        return _show(rule, RULE_SHOW_COLUMNS, args)


class ShowAppPlatform(command.ShowOne):
    """Show the state of an app instance on its MEC platform."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_app_instance(parser)
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        instance = app_instance.find_instance(client, args.app_instance)
        state = client.app_platform(instance)
        return _show(state, PLATFORM_SHOW_COLUMNS, args)
