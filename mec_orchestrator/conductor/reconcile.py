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
"""Reconciliation of the app instances with what their VIMs really have.

Each conductor reconciles the VIMs it is responsible for (the same share
as the VIM checks). Two kinds of drift are found:

* **orphans**: VIM resources named after an app instance
  (:func:`mec_orchestrator.drivers.base.resource_name`) when the instance
  no longer exists, or is NOT_INSTANTIATED with no operation running (an
  instantiation marked FAILED, a deletion that could not finish). They are
  reported, and deleted when ``[app_lcm] delete_orphans`` is on.
* **vanished**: INSTANTIATED instances with no operation running whose
  resources the VIM no longer has (deleted behind the orchestrator's
  back). They are reported; the app provider terminates the instance (its
  resources are already gone, so terminate completes) and instantiates
  again.

Instances with an operation in progress are never touched: their flow
owns them.

The capacity claims are audited too (:meth:`Reconciler.audit_claims`): a
claim whose consumer is neither an app instance that is INSTANTIATED or
has an operation running, nor the instance of an INSTANTIATE grant given
to a MEPM, is released, so capacity never leaks.
"""

from oslo_log import log

from mec_orchestrator.common import context as mec_context
from mec_orchestrator.common import exception
from mec_orchestrator.common import states
from mec_orchestrator.conductor.flows import resources
from mec_orchestrator.conductor import vims
from mec_orchestrator import conf

CONF = conf.CONF
LOG = log.getLogger(__name__)

#: VIM statuses of resources that are going away already.
_GOING = ('DELETE_IN_PROGRESS', 'DELETE_COMPLETE')


class Reconciler(object):
    """Finds (and optionally repairs) drift between instances and VIMs.

    :param vim_service: the conductor's
        :class:`~mec_orchestrator.conductor.vims.VimService` (for the
        share of VIMs this conductor is responsible for).
    :param dbapi: the database API.
    """

    def __init__(self, vim_service, dbapi):
        self.vim_service = vim_service
        self.dbapi = dbapi
        #: The last report, per VIM id.
        self.reports = {}

    def periodic_reconcile(self):
        """Reconcile the VIMs this conductor is responsible for."""
        try:
            self.audit_claims()
        except Exception:
            LOG.exception('Auditing the capacity claims failed')
        try:
            alive = self.dbapi.get_alive_conductors(
                CONF.conductor.heartbeat_timeout)
            rows = [v for v in self.dbapi.list_vims()
                    if self.vim_service.responsible_for(v, alive)]
        except Exception:
            LOG.exception('Listing the VIMs to reconcile failed')
            return
        for row in rows:
            try:
                self.reconcile(row)
            except Exception:
                LOG.exception('Reconciling VIM %s failed', row.id)

    def reconcile(self, row):
        """Reconcile one VIM.

        :param row: the VIM's row.
        :returns: a report: ``orphans`` and ``vanished`` (lists of
            instance ids) and ``deleted`` (the orphans deleted).
        """
        if row.status != states.REACHABLE:
            return None
        ctx = mec_context.get_admin_context()
        vim = vims.driver_view(row, vims.VimService._decrypt(row))
        try:
            driver = resources.infra_driver(vim)
        except exception.InfraError:
            return None
        listed = {r['instance_id']: r
                  for r in driver.list_instances(ctx, vim)
                  if r.get('instance_id')}
        report = {'orphans': [], 'vanished': [], 'deleted': []}
        for instance_id, res in sorted(listed.items()):
            if res.get('status') in _GOING:
                continue
            try:
                inst = self.dbapi.get_app_instance(instance_id)
            except exception.AppInstanceNotFound:
                inst = None
            if inst is not None and (
                    inst.current_op_occ_id
                    or inst.instantiation_state != states.NOT_INSTANTIATED):
                continue
            report['orphans'].append(instance_id)
            LOG.warning('VIM %(vim)s has resources %(stack)s of app '
                        'instance %(inst)s, which %(why)s',
                        {'vim': row.id, 'stack': res.get('stack_id'),
                         'inst': instance_id,
                         'why': 'no longer exists' if inst is None
                         else 'is NOT_INSTANTIATED'})
            if CONF.app_lcm.delete_orphans:
                try:
                    driver.delete(ctx, vim, {'id': instance_id})
                    report['deleted'].append(instance_id)
                except exception.InfraError as e:
                    LOG.warning('Deleting the orphaned resources of %(inst)s '
                                'failed: %(err)s', {'inst': instance_id,
                                                    'err': e})
        for inst in self.dbapi.list_app_instances(vim_id=row.id):
            if (inst.instantiation_state != states.INSTANTIATED
                    or inst.current_op_occ_id):
                continue
            res = listed.get(inst.id)
            if res is None or res.get('status') in _GOING:
                report['vanished'].append(inst.id)
                LOG.error('App instance %(inst)s is INSTANTIATED but VIM '
                          '%(vim)s no longer has its resources',
                          {'inst': inst.id, 'vim': row.id})
        self.reports[row.id] = report
        return report

    def audit_claims(self):
        """Release the claims no instance or grant stands for.

        :returns: the consumer ids whose claims were released.
        """
        granted = None
        released = []
        for consumer in sorted({a.consumer_id for a in
                                self.dbapi.list_allocations()}):
            try:
                inst = self.dbapi.get_app_instance(consumer)
            except exception.AppInstanceNotFound:
                inst = None
            if inst is not None:
                if (inst.current_op_occ_id or inst.instantiation_state
                        == states.INSTANTIATED):
                    continue
                # Read again: an operation may have started meanwhile.
            else:
                if granted is None:
                    granted = self.dbapi.list_granted_consumers()
                if consumer in granted:
                    continue
            if inst is not None:
                inst = self.dbapi.get_app_instance(consumer)
                if (inst.current_op_occ_id or inst.instantiation_state
                        == states.INSTANTIATED):
                    continue
            count = self.dbapi.release_capacity(consumer)
            released.append(consumer)
            LOG.warning('Released %(n)d capacity claim(s) of %(c)s, which '
                        'no app instance or grant stands for',
                        {'n': count, 'c': consumer})
        return released
