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
"""The request context carried from the API to the conductors."""

from oslo_context import context


class RequestContext(context.RequestContext):
    """Who asks, in which project, with which roles, under which request id.

    It crosses RPC as a dict (:meth:`to_dict` / :meth:`from_dict`); nothing
    in it may be a credential other than the token the user already sent.
    """

    def to_policy_values(self):
        """Values oslo.policy checks rules against.

        :returns: a dict of the context's credentials for policy checks.
        """
        values = super().to_policy_values()
        values['project_id'] = self.project_id
        return values

    @classmethod
    def from_dict(cls, values, **kwargs):
        """Rebuild a context from :meth:`to_dict` output.

        :param values: a dict produced by :meth:`to_dict`.
        :returns: a :class:`RequestContext`.
        """
        return super().from_dict(values, **kwargs)


def get_admin_context():
    """A context for the service's own work (periodic tasks, takeovers).

    :returns: a :class:`RequestContext` with the admin flag set and no
        project.
    """
    return RequestContext(is_admin=True, overwrite=False)
