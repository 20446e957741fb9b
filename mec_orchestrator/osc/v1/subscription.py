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
"""``openstack mec subscription ...``: notifications of MEC 010-2.

App lifecycle subscriptions live in the AppLcm API, app package ones in
the AppPkgm API; the subscription type decides which.
"""

import argparse
import getpass
import sys

from osc_lib.command import command
from osc_lib import exceptions

from mec_orchestrator.osc import client as mec_client
from mec_orchestrator.osc.v1 import app_instance

LCM_TYPES = ('AppInstanceStateChange', 'AppLcmOpOccStateChange')
#: The package API also accepts v2.1.1's "AppPacakgeOperationChange".
PKGM_TYPES = ('AppPackageOnBoarding', 'AppPackageOperationChange',
              'AppPackageDeletion')
TYPES = LCM_TYPES + PKGM_TYPES

LIST_COLUMNS = ('id', 'subscriptionType', 'api')
LONG_COLUMNS = LIST_COLUMNS + ('callbackUri',)
SHOW_COLUMNS = ('id', 'subscriptionType', 'callbackUri', 'api',
                'appInstanceState', 'appInstanceSubscriptionFilter',
                'appLcmOpOccSubscriptionFilter', 'appPkgFilter')

_TYPE_ALIASES = {t.lower(): t for t in TYPES}
_TYPE_ALIASES['apppacakgeoperationchange'] = 'AppPackageOperationChange'


def _type(value):
    try:
        return _TYPE_ALIASES[value.lower()]
    except KeyError:
        raise argparse.ArgumentTypeError(
            '%s is not a subscription type (%s)' % (value, ', '.join(TYPES)))


def _api(subscription_type):
    return 'app_lcm' if subscription_type in LCM_TYPES else 'app_pkgm'


def _basic_auth(value, prompt):
    user, sep, password = value.partition(':')
    if not user:
        raise exceptions.CommandError('--basic-auth takes USER[:PASSWORD]')
    if not sep:
        if not prompt:
            raise exceptions.CommandError(
                '--basic-auth: no password, and no terminal to ask for it')
        password = getpass.getpass('Password of %s: ' % user)
    return {'authType': ['BASIC'],
            'paramsBasic': {'userName': user, 'password': password}}


class CreateSubscription(command.ShowOne):
    """Subscribe a callback URI to app or app package notifications."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--callback-uri', metavar='<uri>',
                            required=True,
                            help='Where the notifications are POSTed.')
        parser.add_argument('--type', metavar='<type>', required=True,
                            type=_type,
                            help='Subscription type: %s.' % ', '.join(TYPES))
        parser.add_argument('--instance', metavar='<app-instance>',
                            action='append',
                            help='Only for this app instance (ID or name; '
                                 'repeat). App lifecycle types only.')
        parser.add_argument('--state', metavar='<state>', type=str.upper,
                            help='AppInstanceStateChange: only when the '
                                 'instance becomes NOT_INSTANTIATED, '
                                 'STARTED or STOPPED. '
                                 'AppLcmOpOccStateChange: only when the '
                                 'operation becomes this state (STARTING, '
                                 'PROCESSING, COMPLETED, FAILED...).')
        parser.add_argument('--operation', metavar='<operation>',
                            type=str.upper,
                            choices=app_instance.OPERATIONS,
                            help='AppLcmOpOccStateChange: only for this '
                                 'operation (%s).'
                                 % ', '.join(app_instance.OPERATIONS))
        parser.add_argument('--filter', metavar='<expression>',
                            action='append',
                            help='App package types: an ETSI filter of '
                                 'the packages, e.g. "(eq,appName,foo)" '
                                 '(repeat; appPkgFilter).')
        parser.add_argument('--basic-auth', metavar='<user[:password]>',
                            help='Credentials the orchestrator sends with '
                                 'each notification (HTTP Basic); the '
                                 'password is asked for when omitted.')
        return parser

    def _lcm_body(self, client, args):
        if args.filter:
            raise exceptions.CommandError(
                '--filter is for app package subscriptions; use '
                '--instance, --state or --operation.')
        body = {'subscriptionType': args.type,
                'callbackUri': args.callback_uri}
        selector = None
        if args.instance:
            selector = {'appInstSelectorType': 'APP_IDENTITY',
                        'appInstances': [
                            app_instance.find_instance(client, i)
                            for i in args.instance]}
        if args.type == 'AppInstanceStateChange':
            if args.operation:
                raise exceptions.CommandError(
                    '--operation is for AppLcmOpOccStateChange.')
            if args.state:
                if args.state not in ('NOT_INSTANTIATED', 'STARTED',
                                      'STOPPED'):
                    raise exceptions.CommandError(
                        '--state: NOT_INSTANTIATED, STARTED or STOPPED')
                body['appInstanceState'] = args.state
            if selector:
                body['appInstanceSubscriptionFilter'] = selector
            return body
        if args.state and args.state not in app_instance.OPERATION_STATES:
            raise exceptions.CommandError(
                '--state: one of %s' % ', '.join(
                    app_instance.OPERATION_STATES))
        criteria = {'appInstanceSubscriptionFilter': selector,
                    'operationStates': args.state,
                    'operationTypes': args.operation}
        criteria = {k: v for k, v in criteria.items() if v}
        if criteria:
            body['appLcmOpOccSubscriptionFilter'] = criteria
        return body

    def take_action(self, args):
        client = self.app.client_manager.mec
        if _api(args.type) == 'app_lcm':
            body = self._lcm_body(client, args)
        else:
            if args.instance or args.state or args.operation:
                raise exceptions.CommandError(
                    '--instance, --state and --operation are for app '
                    'lifecycle subscriptions; use --filter.')
            body = {'subscriptionType': args.type,
                    'callbackUri': args.callback_uri}
            if args.filter:
                body['appPkgFilter'] = args.filter
        if args.basic_auth:
            body['authentication'] = _basic_auth(args.basic_auth,
                                                 sys.stdin.isatty())
        if _api(args.type) == 'app_lcm':
            sub = client.create_app_lcm_subscription(body)
        else:
            sub = client.create_app_pkg_subscription(body)
        return _show(sub, _api(args.type), args)


def _show(sub, api, args):
    sub = dict(sub, api=api)
    if 'subsctiptionType' in sub:
        sub.setdefault('subscriptionType', sub.pop('subsctiptionType'))
    return app_instance.show(sub, SHOW_COLUMNS, args)


class ListSubscription(command.Lister):
    """List subscriptions, of both APIs unless a type is given."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--type', metavar='<type>', type=_type,
                            help='Only this subscription type: %s.'
                                 % ', '.join(TYPES))
        parser.add_argument('--long', action='store_true',
                            help='Also show the callback URIs (one request '
                                 'per subscription).')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        subs = []
        if not args.type or _api(args.type) == 'app_lcm':
            subs += [dict(s, api='app_lcm')
                     for s in client.app_lcm_subscriptions(args.type)]
        if not args.type or _api(args.type) == 'app_pkgm':
            subs += [dict(s, api='app_pkgm')
                     for s in client.app_pkg_subscriptions()
                     if not args.type or _TYPE_ALIASES.get(
                         (s['subscriptionType'] or '').lower()) ==
                     args.type]
        if args.long:
            for sub in subs:
                fetch = (client.app_lcm_subscription if sub['api'] ==
                         'app_lcm' else client.app_pkg_subscription)
                sub['callbackUri'] = fetch(sub['id']).get('callbackUri')
        return app_instance.listing(
            subs, LONG_COLUMNS if args.long else LIST_COLUMNS, args)


def _find(client, subscription_id):
    """(api, subscription) for an id of either API."""
    for api, fetch in (('app_lcm', client.app_lcm_subscription),
                       ('app_pkgm', client.app_pkg_subscription)):
        try:
            return api, fetch(subscription_id)
        except mec_client.ApiError as e:
            if e.status != 404:
                raise
    raise exceptions.CommandError('No subscription %s.' % subscription_id)


class ShowSubscription(command.ShowOne):
    """Show a subscription (never its credentials)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('subscription', metavar='<subscription-id>')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        api, sub = _find(client, args.subscription)
        return _show(sub, api, args)


class DeleteSubscription(command.Command):
    """Delete subscriptions."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('subscriptions', metavar='<subscription-id>',
                            nargs='+')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        errors = []
        for subscription_id in args.subscriptions:
            try:
                api, _sub = _find(client, subscription_id)
                if api == 'app_lcm':
                    client.delete_app_lcm_subscription(subscription_id)
                else:
                    client.delete_app_pkg_subscription(subscription_id)
            except exceptions.CommandError as e:
                errors.append('%s: %s' % (subscription_id, e))
        if errors:
            raise exceptions.CommandError('; '.join(errors))
