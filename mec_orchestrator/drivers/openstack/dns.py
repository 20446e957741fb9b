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
"""The Designate DNS driver: DNS rules as recordsets of the VIM's Designate.

Registered as the ``designate`` entry point of
``mec_orchestrator.dns_drivers`` (``[platform] dns_driver = designate``).
A rule becomes a record of the A (``IP_V4``) or AAAA (``IP_V6``) recordset
of its name in the zone ``[platform] dns_zone``, which must exist in the
Designate of the app instance's VIM; a rule whose name is outside the zone
is refused.

Designate holds one recordset per name and type, so the rules that share
a name share it: activating a rule adds its address to the recordset's
records (creating the recordset when it is the first), deactivating it
removes the address (deleting the recordset when it was the last). Both
are idempotent. The recordset's description names the app instance and
the rule that created it, which lets a deactivation without what the
activation returned find it.

Limits: two active rules with the same name *and* address share one
record, which the first deactivation removes (the conductor's
synchronisation, ``[platform] sync_interval``, puts it back by activating
the other rule again); two conductors changing one recordset at the same
instant may lose one change until that synchronisation.

The lab has no Designate: this driver is tested against a faked
openstacksdk connection only.
"""

import contextlib
import ipaddress

import dns.name
import dns.rdatatype
from openstack import exceptions as sdk_exc
from oslo_log import log

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.drivers import base
from mec_orchestrator.drivers.openstack import client
from mec_orchestrator.platform import dns as platform_dns

LOG = log.getLogger(__name__)

#: The longest description Designate keeps.
MAX_DESCRIPTION = 160
#: The description of a recordset whose creating rule is gone.
SHARED_DESCRIPTION = 'MEC DNS rules'


def description(instance_id, rule_id):
    """The description of the recordset a rule creates.

    :param instance_id: the app instance's id.
    :param rule_id: the rule's dnsRuleId.
    :returns: the text, at most :data:`MAX_DESCRIPTION` characters.
    """
    return ('MEC app instance %s, DNS rule %s' % (
        instance_id, rule_id))[:MAX_DESCRIPTION]


def _canonical(address):
    """An address in canonical form (Designate may keep another form)."""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return address


def _without(records, address):
    return [r for r in records or () if _canonical(r) != address]


class DesignateDnsDriver(base.DnsDriver):
    """DNS rules as records in a zone of the VIM's Designate.

    Tested against a faked openstacksdk connection only (the lab has no
    Designate).
    """

    name = 'designate'

    # -- plumbing -------------------------------------------------------------

    def _zone_name(self):
        zone = self.conf.platform.dns_zone
        if not zone:
            raise exception.InfraError(reason=_(
                'the designate DNS driver needs [platform] dns_zone'))
        return dns.name.from_text(zone)

    @contextlib.contextmanager
    def _connection(self, vim):
        """An openstacksdk connection to the VIM, errors translated."""
        if not vim:
            raise exception.InfraError(reason=_(
                'the designate DNS driver needs the app instance\'s VIM'))
        what = _('Designate of VIM %s') % (vim.get('name') or vim.get('id'))
        with client.vim_connection(vim, self.conf.vim.request_timeout,
                                   self.conf.vim.openstack_interface,
                                   what) as conn:
            yield conn

    @staticmethod
    def _find(conn, zone, name, rdtype, **query):
        """The zone's recordsets of the name and type."""
        return [rs for rs in conn.dns.recordsets(zone, name=name,
                                                 type=rdtype, **query)
                if rs.name.lower() == name and rs.type == rdtype]

    # -- the driver -----------------------------------------------------------

    def activate(self, context, vim, instance, rule):
        """Add the rule's address to its recordset; idempotent.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :param instance: the app instance as a dict.
        :param rule: the MEC 011 DnsRule as a dict.
        :returns: ``zone_id``, ``recordset_id``, ``name``, ``type`` and
            ``address``, for :meth:`deactivate`.
        :raises: Invalid (the rule, or a name outside the zone),
            InfraError (Designate's reason).
        """
        name, rdtype, address = platform_dns.validate_rule(rule)
        zone_name = self._zone_name()
        if not name.is_subdomain(zone_name):
            raise exception.Invalid(reason=_(
                'DNS rule %(rule)s: %(name)s is outside the zone %(zone)s') %
                {'rule': rule.get('dnsRuleId'), 'name': name,
                 'zone': zone_name})
        fqdn = name.canonicalize().to_text()
        rtype = dns.rdatatype.to_text(rdtype)
        ttl = rule.get('ttl')
        with self._connection(vim) as conn:
            zone = conn.dns.find_zone(zone_name.to_text(),
                                      ignore_missing=True)
            if zone is None:
                raise exception.InfraError(reason=_(
                    'the zone %s does not exist in the VIM\'s '
                    'Designate') % zone_name)
            recordset = self._add(conn, zone, fqdn, rtype, address, ttl,
                                  description(instance['id'],
                                              rule.get('dnsRuleId')))
        LOG.info('DNS rule %(rule)s of app instance %(instance)s: %(name)s '
                 '%(type)s %(address)s in Designate recordset %(rs)s',
                 {'rule': rule.get('dnsRuleId'), 'instance': instance['id'],
                  'name': fqdn, 'type': rtype, 'address': address,
                  'rs': recordset.id})
        return {'zone_id': zone.id, 'recordset_id': recordset.id,
                'name': fqdn, 'type': rtype, 'address': address}

    def _add(self, conn, zone, fqdn, rtype, address, ttl, text):
        """The recordset of the name and type, holding the address."""
        for _attempt in range(2):
            found = self._find(conn, zone, fqdn, rtype)
            if found:
                recordset = found[0]
                changes = {}
                if address not in map(_canonical, recordset.records or ()):
                    changes['records'] = list(recordset.records or ()) + [
                        address]
                if ttl is not None and recordset.ttl != ttl:
                    changes['ttl'] = ttl
                if changes:
                    recordset = conn.dns.update_recordset(recordset,
                                                          **changes)
                return recordset
            attrs = {'name': fqdn, 'type': rtype, 'records': [address],
                     'description': text}
            if ttl is not None:
                attrs['ttl'] = ttl
            try:
                return conn.dns.create_recordset(zone, **attrs)
            except sdk_exc.ConflictException:
                # Another rule of the name made it meanwhile: join it.
                LOG.debug('Recordset %s %s appeared meanwhile', fqdn, rtype)
        raise exception.InfraError(reason=_(
            'the recordset %(name)s %(type)s is being created and deleted '
            'by others') % {'name': fqdn, 'type': rtype})

    def deactivate(self, context, vim, instance, rule_id, realised=None):
        """Remove the rule's address from its recordset; idempotent.

        Without ``realised`` (the activation's answer was lost), the
        recordset whose description names the rule is deleted if the
        rule's address is its only record; when it holds others, which one
        is the rule's is unknown, and it is left as it is (logged).

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :param instance: the app instance as a dict.
        :param rule_id: the rule's dnsRuleId.
        :param realised: what :meth:`activate` returned, or None.
        :raises: InfraError (Designate's reason).
        """
        text = description(instance['id'], rule_id)
        with self._connection(vim) as conn:
            zone = conn.dns.find_zone(
                (realised or {}).get('zone_id') or
                self._zone_name().to_text(), ignore_missing=True)
            if zone is None:
                LOG.info('DNS rule %s: its zone is gone, and its records '
                         'with it', rule_id)
                return
            if realised:
                for recordset in self._find(conn, zone, realised['name'],
                                            realised['type']):
                    self._remove(conn, recordset, realised['address'], text)
                return
            for recordset in conn.dns.recordsets(zone, description=text):
                if recordset.description != text:
                    continue
                if len(recordset.records or ()) <= 1:
                    conn.dns.delete_recordset(recordset,
                                              ignore_missing=True)
                else:
                    LOG.warning('DNS rule %(rule)s of app instance '
                                '%(instance)s: the recordset %(rs)s it '
                                'created has several records, and which is '
                                'the rule\'s is unknown: it is left as it '
                                'is', {'rule': rule_id,
                                       'instance': instance['id'],
                                       'rs': recordset.id})

    @staticmethod
    def _remove(conn, recordset, address, text):
        """Take the address out of the recordset, deleting it if empty."""
        records = _without(recordset.records, address)
        if not records:
            conn.dns.delete_recordset(recordset, ignore_missing=True)
            return
        changes = {}
        if len(records) != len(recordset.records or ()):
            changes['records'] = records
        if recordset.description == text:
            changes['description'] = SHARED_DESCRIPTION
        if changes:
            conn.dns.update_recordset(recordset, **changes)
