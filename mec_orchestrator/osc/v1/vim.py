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
"""``openstack mec vim ...``: the VIM registry (admin)."""

import getpass

from osc_lib.command import command
from osc_lib import exceptions

from mec_orchestrator.osc.v1 import common

LIST_COLUMNS = ('id', 'name', 'type', 'site', 'status')
SHOW_COLUMNS = ('id', 'name', 'type', 'description', 'site', 'status',
                'status_reason', 'last_checked_at', 'auth_url', 'auth_type',
                'project_name', 'project_id', 'region', 'capabilities',
                'extra')

#: Options whose value becomes a body field of the same name.
_ACCESS = ('auth_url', 'username', 'project_name', 'project_id',
           'user_domain_name', 'project_domain_name', 'region',
           'application_credential_id', 'endpoint', 'namespace')


def _add_access_options(parser):
    parser.add_argument('--auth-url', metavar='<url>',
                        help='Keystone URL of an OpenStack VIM.')
    parser.add_argument('--username', metavar='<name>')
    parser.add_argument('--password', metavar='<password>',
                        help='Password; prompted for when --username is '
                             'given without it on a terminal.')
    parser.add_argument('--project-name', metavar='<name>')
    parser.add_argument('--project-id', metavar='<id>')
    parser.add_argument('--user-domain-name', metavar='<name>')
    parser.add_argument('--project-domain-name', metavar='<name>')
    parser.add_argument('--region', metavar='<region>')
    parser.add_argument('--application-credential-id', metavar='<id>')
    parser.add_argument('--application-credential-secret',
                        metavar='<secret>')
    parser.add_argument('--endpoint', metavar='<url>',
                        help='API endpoint of a Kubernetes VIM.')
    parser.add_argument('--namespace', metavar='<namespace>')
    parser.add_argument('--bearer-token', metavar='<token>')
    parser.add_argument('--ca-cert', metavar='<pem-file>',
                        help='CA bundle (PEM file) to verify the VIM.')
    parser.add_argument('--insecure', action='store_true', default=None,
                        help='Do not verify the VIM\'s TLS certificate.')
    parser.add_argument('--site', metavar='<site>')
    parser.add_argument('--description', metavar='<text>')
    parser.add_argument('--property', metavar='<key=value>',
                        action='append', dest='extra',
                        help='Extra property (repeat).')
    parser.add_argument('--force', action='store_true', default=None,
                        help='Store the VIM even if it cannot be reached '
                             'now (UNREACHABLE).')


def _body(args):
    body = {name: getattr(args, name) for name in _ACCESS
            if getattr(args, name, None) is not None}
    if args.username and not args.password and not getattr(
            args, 'no_prompt', False):
        args.password = getpass.getpass('VIM password: ')
    for name in ('password', 'application_credential_secret',
                 'bearer_token', 'site', 'description', 'insecure',
                 'force'):
        if getattr(args, name, None) is not None:
            body[name] = getattr(args, name)
    if args.ca_cert:
        with open(args.ca_cert) as f:
            body['ca_cert'] = f.read()
    if args.extra:
        body['extra'] = dict(item.split('=', 1) for item in args.extra)
    return body


class RegisterVim(command.ShowOne):
    """Register a VIM: its credentials are checked against it first."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='<name>', help='Unique name.')
        parser.add_argument('--type', default='openstack',
                            help='VIM type (openstack, kubernetes).')
        _add_access_options(parser)
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        body = _body(args)
        body.update(name=args.name, type=args.type)
        return common.show(client.register_vim(body), SHOW_COLUMNS, args)


class ListVim(command.Lister):
    """List the VIMs."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--site', metavar='<site>')
        parser.add_argument('--type', metavar='<type>')
        parser.add_argument('--status', metavar='<status>')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        return common.listing(client.vims(site=args.site, type=args.type,
                                          status=args.status),
                              LIST_COLUMNS, args)


class ShowVim(command.ShowOne):
    """Show a VIM (never its credentials)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('vim', metavar='<vim-id>')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        return common.show(client.vim(args.vim), SHOW_COLUMNS, args)


class SetVim(command.ShowOne):
    """Change a VIM; new access or credentials are checked first."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('vim', metavar='<vim-id>')
        parser.add_argument('--name', metavar='<name>')
        _add_access_options(parser)
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        body = _body(args)
        if args.name:
            body['name'] = args.name
        if not body:
            raise exceptions.CommandError('Nothing to change.')
        return common.show(client.update_vim(args.vim, body), SHOW_COLUMNS,
                           args)


class DeleteVim(command.Command):
    """Delete VIMs (refused while app instances run on them)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('vims', metavar='<vim-id>', nargs='+')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        errors = []
        for vim in args.vims:
            try:
                client.delete_vim(vim)
            except exceptions.CommandError as e:
                errors.append('%s: %s' % (vim, e))
        if errors:
            raise exceptions.CommandError('; '.join(errors))
