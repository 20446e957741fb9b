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
"""``openstack mec app instance|op ...``: ETSI MEC 010-2 app lifecycle."""

from osc_lib.command import command
from osc_lib import exceptions
from oslo_utils import uuidutils

from mec_orchestrator.osc import client as mec_client
from mec_orchestrator.osc.v1 import common

LIST_COLUMNS = ('id', 'appInstanceName', 'appName', 'appDId',
                'instantiationState', 'operationalState', 'hostName')
SHOW_COLUMNS = ('id', 'appInstanceName', 'appInstanceDescription', 'appDId',
                'appProvider', 'appName', 'appSoftVersion', 'appDVersion',
                'appPkgId', 'instantiationState', 'instantiatedAppState',
                'mecHostInformation', 'vimConnectionInfo')
OP_LIST_COLUMNS = ('id', 'appInstanceId', 'lcmOperation', 'operationState',
                   'startTime', 'stateEnteredTime')
OP_SHOW_COLUMNS = ('id', 'appInstanceId', 'lcmOperation', 'operationState',
                   'isCancelPending', 'startTime', 'stateEnteredTime',
                   'operationParams', 'error')

INSTANCE_STATES = ('NOT_INSTANTIATED', 'INSTANTIATED')
OPERATIONAL_STATES = ('STARTED', 'STOPPED')
OPERATION_STATES = ('STARTING', 'PROCESSING', 'COMPLETED', 'FAILED_TEMP',
                    'FAILED', 'ROLLING_BACK', 'ROLLED_BACK')
OPERATIONS = ('INSTANTIATE', 'OPERATE', 'TERMINATE')
#: The states in which an operation has ended without completing.
FAILED_STATES = ('FAILED_TEMP', 'FAILED', 'ROLLED_BACK')

DEFAULT_WAIT_TIMEOUT = 900

#: Titles that common.title cannot guess.
_TITLES = {'appInstanceId': 'App Instance ID', 'lcmOperation': 'Operation',
           'isCancelPending': 'Cancel Pending', 'hostName': 'MEC Host',
           'mecHostInformation': 'MEC Host',
           'vimConnectionInfo': 'VIM Connection Info',
           'callbackUri': 'Callback URI', 'api': 'API'}


def _titles(result, columns, args):
    names, values = result
    if getattr(args, 'formatter', None) in common.MACHINE_FORMATS:
        return names, values
    return (tuple(_TITLES.get(c, n)
                  for c, n in zip(columns, names, strict=True)), values)


def show(item, columns, args):
    """Like :func:`common.show`, with this module's titles.

    Only the attributes the item has are shown.
    """
    columns = [c for c in columns if c in item]
    return _titles(common.show(item, columns, args), columns, args)


def listing(items, columns, args):
    """Like :func:`common.listing`, with this module's titles."""
    return _titles(common.listing(items, columns, args), columns, args)


def etsi_filter(*terms):
    """An ETSI attribute-based filter of ``(op, attribute, value)`` terms.

    Values holding a separator are quoted; terms whose value is None are
    left out.

    :returns: the filter, or None when no term is left.
    """
    def quote(value):
        value = str(value)
        if any(c in value for c in ",;()'"):
            return "'%s'" % value.replace("'", "''")
        return value

    parts = ['(%s,%s,%s)' % (op, attr, quote(value))
             for op, attr, value in terms if value is not None]
    return ';'.join(parts) or None


def _flat(instance):
    """An AppInstanceInfo with its state and host lifted to the top.

    The list shows its operational state and MEC host name as columns.
    """
    return dict(instance,
                operationalState=(instance.get('instantiatedAppState')
                                  or {}).get('operationalState'),
                hostName=(instance.get('mecHostInformation')
                          or {}).get('hostName'))


def find_instance(client, name_or_id):
    """The id of an app instance, given its id or its unique name.

    :raises: CommandError when no instance, or several, have the name.
    """
    if uuidutils.is_uuid_like(name_or_id):
        return name_or_id
    found = client.app_instances(etsi_filter(
        ('eq', 'appInstanceName', name_or_id)))
    if not found:
        raise exceptions.CommandError('No app instance with ID or name %s.'
                                      % name_or_id)
    if len(found) > 1:
        raise exceptions.CommandError(
            '%d app instances are named %s; use an ID.'
            % (len(found), name_or_id))
    return found[0]['id']


def _add_wait(parser, what):
    parser.add_argument('--wait', action='store_true',
                        help='Wait until the %s ends; exit non-zero if '
                             'it fails.' % what)
    parser.add_argument('--wait-timeout', type=int, metavar='<seconds>',
                        default=DEFAULT_WAIT_TIMEOUT,
                        help='Seconds --wait waits (default %d).'
                             % DEFAULT_WAIT_TIMEOUT)


def wait_for_op(client, op_id, timeout, done=('COMPLETED',), before=None):
    """Poll an operation occurrence until it ends, showing progress.

    :param client: the API client.
    :param op_id: the ``app_lcm_op_occs`` id.
    :param timeout: seconds to wait.
    :param done: the states that mean success.
    :param before: the occurrence as it was before a retry, rollback or
        cancel: its state does not count until it has changed.
    :returns: the occurrence in a done state.
    :raises: CommandError when it ends in another final state (with its
        error's detail) or is still running after the timeout.
    """
    def stale(op):
        return before is not None and (
            op.get('operationState'), op.get('stateEnteredTime')) == (
            before.get('operationState'), before.get('stateEnteredTime'))

    def failed(op):
        state = op.get('operationState')
        if stale(op) or state in done or state not in (
                FAILED_STATES + ('COMPLETED',)):
            return None
        if state == 'COMPLETED':
            return 'it completed first'
        error = op.get('error') or {}
        detail = error.get('detail') or error.get('title')
        message = '%s: %s' % (state, detail) if detail else state
        if state == 'FAILED_TEMP':
            message += ('; "openstack mec app op retry|rollback|fail %s" '
                        'decides what happens next' % op['id'])
        return message

    return common.wait_for(lambda: client.app_lcm_op_occ(op_id),
                           lambda op: op.get('operationState'),
                           done, failed, timeout,
                           'Operation %s' % op_id)


def _op_result(client, op_id, args, done=('COMPLETED',), before=None):
    if getattr(args, 'wait', False):
        op = wait_for_op(client, op_id, args.wait_timeout, done, before)
    else:
        op = client.app_lcm_op_occ(op_id)
    return show(op, OP_SHOW_COLUMNS, args)


# -- app instances ---------------------------------------------------------

class CreateAppInstance(command.ShowOne):
    """Create an app instance (NOT_INSTANTIATED) of an onboarded AppD."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('appd', metavar='<appd-id-or-package-id>',
                            help='appDId, or the ID of the app package '
                                 'that holds the AppD.')
        parser.add_argument('--name', metavar='<name>',
                            help='Name (appInstanceName).')
        parser.add_argument('--description', metavar='<text>',
                            help='Description (appInstanceDescription).')
        return parser

    def _appd_id(self, client, value):
        if not uuidutils.is_uuid_like(value):
            return value
        try:
            package = client.app_package(value)
        except mec_client.ApiError as e:
            if e.status == 404:
                return value
            raise
        if not package.get('appDId'):
            raise exceptions.CommandError(
                'App package %s has no AppD yet (it is %s).'
                % (value, package.get('onboardingState')))
        return package['appDId']

    def take_action(self, args):
        client = self.app.client_manager.mec
        body = {'appDId': self._appd_id(client, args.appd)}
        if args.name:
            body['appInstanceName'] = args.name
        if args.description:
            body['appInstanceDescription'] = args.description
        return show(client.create_app_instance(body), SHOW_COLUMNS, args)


class ListAppInstance(command.Lister):
    """List app instances."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--name', metavar='<name>',
                            help='Only those with this appInstanceName.')
        parser.add_argument('--app-d-id', metavar='<appd-id>',
                            help='Only those of this AppD.')
        parser.add_argument('--state', metavar='<state>',
                            type=str.upper,
                            choices=INSTANCE_STATES + OPERATIONAL_STATES,
                            help='Only those in this instantiation state '
                                 '(%s) or operational state (%s).'
                                 % (', '.join(INSTANCE_STATES),
                                    ', '.join(OPERATIONAL_STATES)))
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        attr = ('instantiatedAppState/operationalState'
                if args.state in OPERATIONAL_STATES else 'instantiationState')
        query = etsi_filter(('eq', 'appInstanceName', args.name),
                            ('eq', 'appDId', args.app_d_id),
                            ('eq', attr, args.state))
        return listing([_flat(i) for i in client.app_instances(query)],
                       LIST_COLUMNS, args)


class _One(command.ShowOne):

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('instance', metavar='<app-instance>',
                            help='ID or name of the app instance.')
        return parser


class ShowAppInstance(_One):
    """Show an app instance."""

    def take_action(self, args):
        client = self.app.client_manager.mec
        instance = client.app_instance(find_instance(client, args.instance))
        return show(instance, SHOW_COLUMNS, args)


class DeleteAppInstance(command.Command):
    """Delete app instances (they must be NOT_INSTANTIATED)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('instances', metavar='<app-instance>',
                            nargs='+', help='IDs or names of app instances.')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        errors = []
        for instance in args.instances:
            try:
                client.delete_app_instance(find_instance(client, instance))
            except exceptions.CommandError as e:
                errors.append('%s: %s' % (instance, e))
        if errors:
            raise exceptions.CommandError('; '.join(errors))


def _host(value):
    # The API matches a MEC host by any value of hostId or by hostName.
    if uuidutils.is_uuid_like(value):
        return {'hostId': {'id': value}}
    return {'hostId': {'name': value}, 'hostName': value}


def _params(items):
    params = {}
    for item in items or ():
        key, sep, value = item.partition('=')
        if not sep or not key:
            raise exceptions.CommandError('--param takes KEY=VALUE, not %s'
                                          % item)
        params[key] = value
    return params


class InstantiateAppInstance(_One):
    """Instantiate an app instance on a MEC host.

    Without --host the orchestrator places it; the operation occurrence is
    shown.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--host', metavar='<mec-host>', action='append',
                            help='Name or ID of a MEC host to choose from '
                                 '(repeat; selectedMECHostInfo).')
        parser.add_argument('--country', metavar='<country-code>',
                            help='Two-letter ISO 3166 country code the '
                                 'host must be in (locationConstraints).')
        parser.add_argument('--param', metavar='<key=value>',
                            action='append',
                            help='Additional parameter (repeat; '
                                 'additionalParams).')
        _add_wait(parser, 'instantiation')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        body = {}
        if args.host:
            body['selectedMECHostInfo'] = [_host(h) for h in args.host]
        if args.country:
            body['locationConstraints'] = {
                'countryCode': args.country.upper()}
        if args.param:
            body['additionalParams'] = _params(args.param)
        instance_id = find_instance(client, args.instance)
        op_id = client.instantiate_app_instance(instance_id, body)
        return _op_result(client, op_id, args)


def _add_graceful(parser, verb):
    """--graceful and its --timeout, for terminate and stop."""
    parser.add_argument('--graceful', action='store_true',
                        help='Take the instance out of service first '
                             '(forceful by default).')
    parser.add_argument('--timeout', type=int, metavar='<seconds>',
                        help='With --graceful, seconds to wait before '
                             '%s anyway.' % verb)


def _graceful(args):
    """(GRACEFUL or FORCEFUL, the timeout or None) of the arguments."""
    if args.timeout is not None and not args.graceful:
        raise exceptions.CommandError('--timeout needs --graceful.')
    return ('GRACEFUL' if args.graceful else 'FORCEFUL'), args.timeout


class TerminateAppInstance(_One):
    """Terminate an app instance: it becomes NOT_INSTANTIATED."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_graceful(parser, 'terminating')
        _add_wait(parser, 'termination')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        kind, timeout = _graceful(args)
        body = {'terminationType': kind}
        if timeout is not None:
            body['gracefulTerminationTimeout'] = timeout
        op_id = client.terminate_app_instance(
            find_instance(client, args.instance), body)
        return _op_result(client, op_id, args)


class StartAppInstance(_One):
    """Start an instantiated app instance."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_wait(parser, 'operation')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        op_id = client.operate_app_instance(
            find_instance(client, args.instance), {'changeStateTo':
                                                   'STARTED'})
        return _op_result(client, op_id, args)


class StopAppInstance(_One):
    """Stop an instantiated app instance."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_graceful(parser, 'stopping')
        _add_wait(parser, 'operation')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        kind, timeout = _graceful(args)
        body = {'changeStateTo': 'STOPPED', 'stopType': kind}
        if timeout is not None:
            body['gracefulStopTimeout'] = timeout
        op_id = client.operate_app_instance(
            find_instance(client, args.instance), body)
        return _op_result(client, op_id, args)


# -- operation occurrences ---------------------------------------------------

class ListAppLcmOp(command.Lister):
    """List app lifecycle operation occurrences."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--instance', metavar='<app-instance>',
                            help='Only those of this app instance (ID or '
                                 'name).')
        parser.add_argument('--state', metavar='<state>', type=str.upper,
                            choices=OPERATION_STATES,
                            help='Only those in this state (%s).'
                                 % ', '.join(OPERATION_STATES))
        parser.add_argument('--operation', metavar='<operation>',
                            type=str.upper, choices=OPERATIONS,
                            help='Only those of this operation (%s).'
                                 % ', '.join(OPERATIONS))
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        instance = (find_instance(client, args.instance) if args.instance
                    else None)
        query = etsi_filter(('eq', 'appInstanceId', instance),
                            ('eq', 'operationState', args.state),
                            ('eq', 'lcmOperation', args.operation))
        return listing(client.app_lcm_op_occs(query), OP_LIST_COLUMNS, args)


class _Op(command.ShowOne):

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('op', metavar='<operation-id>',
                            help='ID of the operation occurrence.')
        return parser


class ShowAppLcmOp(_Op):
    """Show an app lifecycle operation occurrence."""

    def take_action(self, args):
        client = self.app.client_manager.mec
        return show(client.app_lcm_op_occ(args.op), OP_SHOW_COLUMNS, args)


class RetryAppLcmOp(_Op):
    """Retry an operation that is FAILED_TEMP."""

    task = 'retry'
    done = ('COMPLETED',)

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_wait(parser, 'operation')
        return parser

    def body(self, args):
        return None

    def take_action(self, args):
        client = self.app.client_manager.mec
        before = client.app_lcm_op_occ(args.op) if args.wait else None
        client.app_lcm_op_occ_task(args.op, self.task, self.body(args))
        return _op_result(client, args.op, args, self.done, before)


class RollbackAppLcmOp(RetryAppLcmOp):
    """Roll back an operation that is FAILED_TEMP."""

    task = 'rollback'
    done = ('ROLLED_BACK',)


class CancelAppLcmOp(RetryAppLcmOp):
    """Cancel an operation that is STARTING or PROCESSING.

    It ends FAILED_TEMP, from where it can be retried, rolled back or
    failed; --wait waits until it has stopped.
    """

    task = 'cancel'
    done = FAILED_STATES

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--mode', metavar='<mode>', type=str.upper,
                            choices=('GRACEFUL', 'FORCEFUL'),
                            help='cancelMode: GRACEFUL lets the current '
                                 'step finish, FORCEFUL does not.')
        return parser

    def body(self, args):
        return {'cancelMode': args.mode} if args.mode else None


class FailAppLcmOp(_Op):
    """Mark a FAILED_TEMP operation as FAILED, for good."""

    def take_action(self, args):
        client = self.app.client_manager.mec
        op = client.app_lcm_op_occ_task(args.op, 'fail')
        if op is None:
            op = client.app_lcm_op_occ(args.op)
        return show(op, OP_SHOW_COLUMNS, args)
