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

"""Options of the [noauth] group: the identity of unauthenticated requests."""

from oslo_config import cfg

from mec_orchestrator.common.i18n import _

group = cfg.OptGroup(
    'noauth', title=_('Identity used when auth_strategy is noauth'),
    help=_('With [DEFAULT] auth_strategy = noauth every request acts as '
           'this user, in this project, with these roles. Policy is '
           'enforced as usual, so a deployment may, for instance, give the '
           'all-in-one reader roles only.'))

opts = [
    cfg.StrOpt('user_id', default='admin',
               help=_('User ID of every request.')),
    cfg.StrOpt('project_id', default='admin',
               help=_('Project ID of every request.')),
    cfg.ListOpt('roles', default=['admin', 'member', 'reader'],
                help=_('Roles of every request.')),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
