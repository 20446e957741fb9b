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
"""Policy enforcement with oslo.policy."""

import threading

from oslo_log import log
from oslo_policy import policy

from mec_orchestrator.common import exception
from mec_orchestrator import conf
from mec_orchestrator import policies

LOG = log.getLogger(__name__)
CONF = conf.CONF

_ENFORCER = None
_LOCK = threading.Lock()


def init_enforcer(policy_file=None, rules=None, default_rule=None,
                  use_conf=True):
    """Create the global enforcer if it does not exist yet.

    :param policy_file: a policy file to use instead of the configured one.
    :param rules: rules to load instead of the files'.
    :param default_rule: the rule used when none matches.
    :param use_conf: whether to read the [oslo_policy] options.
    :returns: the enforcer.
    """
    global _ENFORCER
    with _LOCK:
        if _ENFORCER is None:
            enforcer = policy.Enforcer(
                CONF, policy_file=policy_file, rules=rules,
                default_rule=default_rule, use_conf=use_conf)
            enforcer.register_defaults(policies.list_rules())
            _ENFORCER = enforcer
    return _ENFORCER


def get_enforcer():
    """The global enforcer, created on first use.

    :returns: an oslo_policy Enforcer.
    """
    return _ENFORCER or init_enforcer()


def get_oslo_policy_enforcer():
    """Entry point for oslo.policy's command-line tools.

    :returns: an oslo_policy Enforcer.
    """
    CONF([], project='mec-orchestrator')
    return get_enforcer()


def reset():
    """Forget the global enforcer (tests and config reloads)."""
    global _ENFORCER
    with _LOCK:
        if _ENFORCER is not None:
            _ENFORCER.clear()
        _ENFORCER = None


def authorize(rule, target, context):
    """Enforce a policy rule, raising if it does not allow the request.

    :param rule: the rule's name, such as ``mec:conductor:get``.
    :param target: a dict of the target's attributes (its project_id).
    :param context: the :class:`RequestContext` of the request.
    :raises: PolicyNotAuthorized when the rule or the token's scope does not
        allow the action.
    """
    enforcer = get_enforcer()
    try:
        return enforcer.authorize(
            rule, target, context, do_raise=True,
            exc=exception.PolicyNotAuthorized, action=rule)
    except policy.InvalidScope:
        LOG.debug('Scope of the token does not allow %s', rule)
        raise exception.PolicyNotAuthorized(action=rule)


def check(rule, target, context):
    """Whether a rule allows the request, without raising.

    :param rule: the rule's name.
    :param target: a dict of the target's attributes.
    :param context: the :class:`RequestContext` of the request.
    :returns: True or False.
    """
    try:
        authorize(rule, target, context)
    except exception.PolicyNotAuthorized:
        return False
    return True
