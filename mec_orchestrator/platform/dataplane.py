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
"""Realising the platform's rules: traffic rules through the VIM's traffic
driver (networking-sfc on OpenStack), DNS rules through the DNS driver.

The database holds what each rule should be (``state``) and what the data
plane has (``applied_state``, ``realised``). :class:`DataPlane` closes the
gap: on a cast from the Mp1 API (an app confirmed ready, changed a rule),
from the MEPM's lifecycle steps, and in the conductors' periodic pass,
which re-applies every ACTIVE rule (the drivers find what they made by
name, so nothing is duplicated) and so repairs a data plane that lost
them, after a restart or by hand.
"""

import collections
import threading

from oslo_log import log

from mec_orchestrator.common import context as mec_context
from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator import conf
from mec_orchestrator.db import api as dbapi_
from mec_orchestrator.drivers import loader

CONF = conf.CONF
LOG = log.getLogger(__name__)

ACTIVE = 'ACTIVE'
INACTIVE = 'INACTIVE'


def vim_view(dbapi, vim_id):
    """A VIM as drivers see it, credentials decrypted; None if unknown."""
    from mec_orchestrator.conductor import vims
    try:
        return vims.load_driver_view(dbapi, vim_id)
    except exception.NotFound:
        return None


def traffic_driver(vim_type):
    """The traffic driver of a VIM type."""
    return loader.get_driver('traffic', vim_type)


def dns_driver():
    """The configured DNS driver."""
    return loader.get_driver('dns', CONF.platform.dns_driver)


def host_vim_type(dbapi, mec_host_id):
    """The type of the VIM of a MEC host, or None when unknown."""
    if not mec_host_id:
        return None
    try:
        return dbapi.get_vim(dbapi.get_mec_host(mec_host_id).vim_id).type
    except exception.NotFound:
        return None


def validate_rule(kind, rule, vim_type=None):
    """Refuse a rule its data plane cannot realise.

    A DNS rule is checked as every DNS driver needs it; a traffic rule by
    the traffic driver of the VIM type, when the type is known and its
    driver enabled (else the conductor records the rule's error when it
    applies it).

    :param kind: ``traffic`` or ``dns``.
    :param rule: the MEC 011 rule.
    :param vim_type: the type of the app instance's VIM, or None.
    :raises: Invalid (DNS), TrafficRuleNotSupported, both 400.
    """
    if kind == 'dns':
        from mec_orchestrator.platform import dns
        dns.validate_rule(rule)
        return
    if vim_type is None:
        return
    try:
        driver = traffic_driver(vim_type)
    except exception.DriverLoadError as e:
        LOG.debug('Traffic rule %(rule)s not checked by a driver: %(err)s',
                  {'rule': rule.get('trafficRuleId'), 'err': e})
        return
    driver.validate(rule)


class _Target(object):
    """An app instance, its VIM and the drivers of its rules."""

    def __init__(self, dbapi, app_instance_id):
        self.id = app_instance_id
        try:
            inst = dbapi.get_app_instance(app_instance_id)
        except exception.AppInstanceNotFound:
            inst = None
        self.vim = vim_view(dbapi, inst.vim_id) if (
            inst is not None and inst.vim_id) else None
        self.instance = {
            'id': app_instance_id,
            'project_id': inst.project_id if inst is not None else None,
            'vim_id': inst.vim_id if inst is not None else None,
            'mec_host_id': inst.mec_host_id if inst is not None else None,
            'vim_resources': dict((inst.vim_resources if inst is not None
                                   else None) or {}),
        }

    def driver(self, kind):
        if kind == 'dns':
            return dns_driver()
        if self.vim is None:
            raise exception.InfraError(reason=_(
                'app instance %s has no VIM to steer its traffic') % self.id)
        return traffic_driver(self.vim['type'])


#: One lock per app instance for the whole process: the lifecycle steps
#: (the mgmt driver) and the conductor's passes apply an app's rules one at
#: a time.
_LOCKS = collections.defaultdict(threading.Lock)
_LOCKS_LOCK = threading.Lock()


def _lock(app_instance_id):
    with _LOCKS_LOCK:
        return _LOCKS[app_instance_id]


class DataPlane(object):
    """Makes the data plane match the platform's rules.

    :param dbapi: the database API.
    """

    def __init__(self, dbapi=None):
        self.dbapi = dbapi or dbapi_.get_instance()

    def sync(self, app_instance_id=None, full=False, responsible=None,
             strict=False):
        """Apply the rules whose data plane differs from their state.

        :param app_instance_id: one app, or every app.
        :param full: also re-apply the rules already ACTIVE (idempotent).
        :param responsible: a callable telling whether this conductor
            handles an app instance's rules (by its VIM id); all if None.
        :param strict: raise the first failure instead of recording it on
            the rule (the lifecycle steps want to fail on it).
        :returns: a dict of counts: activated, deactivated, failed.
        """
        counts = {'activated': 0, 'deactivated': 0, 'failed': 0}
        rules = self.dbapi.list_mep_rules(app_instance_id=app_instance_id,
                                          pending=not full)
        by_app = collections.OrderedDict()
        for rule in rules:
            by_app.setdefault(rule.app_instance_id, []).append(rule)
        for app_id, app_rules in by_app.items():
            with _lock(app_id):
                target = _Target(self.dbapi, app_id)
                if responsible is not None and not responsible(
                        target.instance['vim_id']):
                    continue
                for rule in app_rules:
                    if rule.state == INACTIVE and (
                            rule.applied_state == INACTIVE
                            and not rule.realised):
                        continue
                    self._apply(target, rule, counts, strict)
        if counts['activated'] or counts['deactivated'] or counts['failed']:
            LOG.info('Platform rules%(app)s: %(activated)d activated, '
                     '%(deactivated)d deactivated, %(failed)d failed',
                     dict(counts, app=(' of %s' % app_instance_id
                                       if app_instance_id else '')))
        return counts

    def _apply(self, target, rule, counts, strict):
        ctx = mec_context.get_admin_context()
        key = (rule.app_instance_id, rule.kind, rule.rule_id)
        try:
            driver = target.driver(rule.kind)
            if rule.state == ACTIVE:
                if rule.applied_state is None and rule.realised:
                    # Changed since it was applied: out with the old one.
                    driver.deactivate(ctx, target.vim, target.instance,
                                      rule.rule_id, rule.realised)
                realised = driver.activate(ctx, target.vim, target.instance,
                                           dict(rule.body, state=ACTIVE))
                self.dbapi.update_mep_rule(*key, values={
                    'applied_state': ACTIVE, 'realised': realised,
                    'error': None})
                counts['activated'] += 1
            else:
                driver.deactivate(ctx, target.vim, target.instance,
                                  rule.rule_id, rule.realised)
                self.dbapi.update_mep_rule(*key, values={
                    'applied_state': INACTIVE, 'realised': None,
                    'error': None})
                counts['deactivated'] += 1
        except exception.NotFound:
            return  # the rule went away meanwhile
        except Exception as e:
            counts['failed'] += 1
            LOG.warning('%(kind)s rule %(rule)s of app instance %(app)s '
                        'could not be made %(state)s: %(err)s',
                        {'kind': rule.kind, 'rule': rule.rule_id,
                         'app': rule.app_instance_id, 'state': rule.state,
                         'err': e})
            try:
                self.dbapi.update_mep_rule(*key, values={
                    'error': str(e)[:2000]})
            except exception.NotFound:
                pass
            if strict:
                if isinstance(e, exception.MecOrchestratorException):
                    raise
                raise exception.InfraError(reason=str(e))

    def remove(self, app_instance_id):
        """Take every rule of an app out of the data plane.

        :raises: the first driver failure (the rules stay recorded, so a
            retry removes what is left).
        """
        self.dbapi.set_mep_rules_state(app_instance_id, INACTIVE)
        self.sync(app_instance_id, strict=True)
        with _LOCKS_LOCK:
            _LOCKS.pop(app_instance_id, None)
