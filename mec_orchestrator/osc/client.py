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
"""A small client of the MEC Orchestrator API over a keystoneauth1 session.

Errors raise :class:`ApiError` carrying the server's ProblemDetails.
"""

import urllib.parse

from keystoneauth1 import adapter
from osc_lib import exceptions

SERVICE_TYPE = 'mec-orchestration'


def _quote(value):
    """A path segment, quoted."""
    return urllib.parse.quote(str(value), safe='')


class ApiError(exceptions.CommandError):
    """An error answer of the API; its text is the ProblemDetails detail.

    :param status: the HTTP status.
    :param problem: the ProblemDetails document (or None).
    """

    def __init__(self, status, problem):
        self.status = status
        self.problem = problem or {}
        detail = self.problem.get('detail') or self.problem.get('title')
        super().__init__('%s (HTTP %s)' % (detail or 'Error', status))


class Client(object):
    """The API's resources, as plain dicts.

    :param session: a keystoneauth1 session.
    :param adapter_kwargs: region_name, interface, endpoint_override...
    """

    def __init__(self, session, **adapter_kwargs):
        adapter_kwargs = {k: v for k, v in adapter_kwargs.items()
                          if v is not None}
        self.http = adapter.Adapter(session, service_type=SERVICE_TYPE,
                                    **adapter_kwargs)

    def request(self, method, path, json=None, data=None, headers=None,
                stream=False, raw=False):
        """Send a request; return the decoded JSON (or the response).

        :param method: the HTTP method.
        :param path: the path under the endpoint.
        :param json: a body to send as JSON.
        :param data: a raw body (bytes or a file object).
        :param headers: extra headers.
        :param stream: stream the response body.
        :param raw: return the response rather than its JSON.
        :raises: ApiError for an error answer.
        """
        resp = self.http.request(path, method, json=json, data=data,
                                 headers=headers or {}, stream=stream,
                                 raise_exc=False)
        if resp.status_code >= 400:
            try:
                problem = resp.json()
            except ValueError:
                problem = {'detail': resp.text[:500]}
            raise ApiError(resp.status_code, problem)
        if raw:
            return resp
        if resp.status_code == 204 or not resp.content:
            return None
        return resp.json()

    # -- admin API --------------------------------------------------------

    def conductors(self):
        return self.request('GET', '/v1/conductors')['conductors']

    def conductor(self, hostname):
        return self.request('GET', '/v1/conductors/%s' % hostname)

    def ping_conductor(self, hostname):
        return self.request('POST', '/v1/conductors/%s/ping' % hostname)

    # -- app packages -----------------------------------------------------

    PKGM = '/app_pkgm/v1'

    def app_packages(self, filter=None):
        path = self.PKGM + '/app_packages'
        if filter:
            path += '?filter=%s' % filter
        items = []
        while path:
            resp = self.request('GET', path, raw=True)
            items.extend(resp.json())
            nxt = resp.links.get('next', {}).get('url')
            path = nxt[len(self.http.get_endpoint().rstrip('/')):] if (
                nxt) else None
        return items

    def app_package(self, package_id):
        return self.request('GET', '%s/app_packages/%s' % (self.PKGM,
                                                           package_id))

    def create_app_package(self, body):
        return self.request('POST', self.PKGM + '/app_packages', json=body)

    def upload_app_package(self, package_id, stream):
        self.request('PUT', '%s/app_packages/%s/package_content'
                     % (self.PKGM, package_id), data=stream,
                     headers={'Content-Type': 'application/zip'})

    def set_app_package_state(self, package_id, state):
        return self.request('PATCH', '%s/app_packages/%s'
                            % (self.PKGM, package_id),
                            json={'operationState': state},
                            headers={'Content-Type':
                                     'application/merge-patch+json'})

    def delete_app_package(self, package_id):
        self.request('DELETE', '%s/app_packages/%s' % (self.PKGM,
                                                       package_id))

    def app_package_appd(self, package_id):
        return self.request('GET', '%s/app_packages/%s/appd'
                            % (self.PKGM, package_id))

    def download_app_package(self, package_id):
        return self.request('GET', '%s/app_packages/%s/package_content'
                            % (self.PKGM, package_id), stream=True,
                            raw=True)

    # -- VIMs and MEC hosts -----------------------------------------------

    def _list(self, path, key, **query):
        query = {k: v for k, v in query.items() if v is not None}
        if query:
            path += '?' + urllib.parse.urlencode(sorted(query.items()))
        items = []
        while path:
            page = self.request('GET', path)
            items.extend(page[key])
            nxt = page.get('next')
            path = nxt[len(self.http.get_endpoint().rstrip('/')):] if (
                nxt) else None
        return items

    def vims(self, **query):
        return self._list('/v1/vims', 'vims', **query)

    def vim(self, vim_id):
        return self.request('GET', '/v1/vims/%s' % vim_id)

    def register_vim(self, body):
        return self.request('POST', '/v1/vims', json=body)

    def update_vim(self, vim_id, body):
        return self.request('PATCH', '/v1/vims/%s' % vim_id, json=body,
                            headers={'Content-Type':
                                     'application/merge-patch+json'})

    def delete_vim(self, vim_id):
        self.request('DELETE', '/v1/vims/%s' % vim_id)

    def mec_hosts(self, **query):
        return self._list('/v1/mec_hosts', 'mec_hosts', **query)

    def mec_host(self, host_id):
        return self.request('GET', '/v1/mec_hosts/%s' % host_id)

    def update_mec_host(self, host_id, body):
        return self.request('PATCH', '/v1/mec_hosts/%s' % host_id,
                            json=body,
                            headers={'Content-Type':
                                     'application/merge-patch+json'})

    # -- MEC platforms ----------------------------------------------------

    def mec_services(self, **query):
        return self._list('/v1/mec_services', 'mec_services', **query)

    def mec_service(self, service_id):
        return self.request('GET', '/v1/mec_services/%s' % _quote(service_id))

    def app_rules(self, instance_id, kind=None):
        return self._list('/v1/app_instances/%s/rules' % _quote(instance_id),
                          'rules', kind=kind)

    def app_rule(self, instance_id, rule_id, kind=None):
        path = '/v1/app_instances/%s/rules/%s' % (_quote(instance_id),
                                                  _quote(rule_id))
        if kind:
            path += '?' + urllib.parse.urlencode({'kind': kind})
        return self.request('GET', path)

    def app_platform(self, instance_id):
        return self.request('GET', '/v1/app_instances/%s/platform'
                            % _quote(instance_id))

    # -- placement and grants ---------------------------------------------

    def preview_placement(self, body):
        return self.request('POST', '/v1/placement/preview', json=body)

    def grant(self, grant_id):
        return self.request('GET', '/granting/v1/grants/%s' % grant_id)

    # -- app lifecycle (MEC 010-2 AppLcm) and subscriptions ---------------

    LCM = '/app_lcm/v1'

    def _pages(self, path, **query):
        """All items of an ETSI list: a JSON array paged by Link headers.

        :param path: the list's path.
        :param query: query parameters (None values are left out).
        :returns: a list of dicts.
        """
        query = {k: v for k, v in query.items() if v is not None}
        if query:
            path += '?' + urllib.parse.urlencode(sorted(query.items()))
        items = []
        while path:
            resp = self.request('GET', path, raw=True)
            items.extend(resp.json())
            # An absolute URL: keystoneauth sends it as it is.
            path = resp.links.get('next', {}).get('url')
        return items

    def _accepted(self, path, body=None):
        """POST a task; return the id of the operation it started.

        :returns: the last part of the Location header (an
            ``app_lcm_op_occs`` id).
        :raises: CommandError when the answer has no Location.
        """
        resp = self.request('POST', path, json=body, raw=True)
        location = resp.headers.get('Location')
        if not location:
            raise exceptions.CommandError(
                'The API accepted the request but gave no Location for '
                'its operation (HTTP %s).' % resp.status_code)
        return urllib.parse.urlparse(location).path.rstrip('/').rsplit(
            '/', 1)[-1]

    def app_instances(self, filter=None):
        return self._pages(self.LCM + '/app_instances', filter=filter)

    def app_instance(self, instance_id):
        return self.request('GET', '%s/app_instances/%s'
                            % (self.LCM, instance_id))

    def create_app_instance(self, body):
        return self.request('POST', self.LCM + '/app_instances', json=body)

    def delete_app_instance(self, instance_id):
        self.request('DELETE', '%s/app_instances/%s'
                     % (self.LCM, instance_id))

    def instantiate_app_instance(self, instance_id, body):
        return self._accepted('%s/app_instances/%s/instantiate'
                              % (self.LCM, instance_id), body)

    def terminate_app_instance(self, instance_id, body):
        return self._accepted('%s/app_instances/%s/terminate'
                              % (self.LCM, instance_id), body)

    def operate_app_instance(self, instance_id, body):
        return self._accepted('%s/app_instances/%s/operate'
                              % (self.LCM, instance_id), body)

    def app_lcm_op_occs(self, filter=None):
        return self._pages(self.LCM + '/app_lcm_op_occs', filter=filter)

    def app_lcm_op_occ(self, op_id):
        return self.request('GET', '%s/app_lcm_op_occs/%s'
                            % (self.LCM, op_id))

    def app_lcm_op_occ_task(self, op_id, task, body=None):
        """retry, rollback, cancel (202, no body) or fail (the op-occ)."""
        return self.request('POST', '%s/app_lcm_op_occs/%s/%s'
                            % (self.LCM, op_id, task), json=body)

    @staticmethod
    def _subscription_links(page):
        # The package API spells the type as its v2.1.1 does.
        return [{'id': link['href'].rstrip('/').rsplit('/', 1)[-1],
                 'subscriptionType': link.get('subscriptionType') or
                 link.get('subsctiptionType'),
                 'href': link['href']}
                for link in (page or {}).get('_links', {}).get(
                    'subscriptions') or []]

    def app_lcm_subscriptions(self, subscription_type=None):
        path = self.LCM + '/subscriptions'
        if subscription_type:
            path += '?' + urllib.parse.urlencode(
                {'subscriptionType': subscription_type})
        return self._subscription_links(self.request('GET', path))

    def app_lcm_subscription(self, subscription_id):
        return self.request('GET', '%s/subscriptions/%s'
                            % (self.LCM, subscription_id))

    def create_app_lcm_subscription(self, body):
        return self.request('POST', self.LCM + '/subscriptions', json=body)

    def delete_app_lcm_subscription(self, subscription_id):
        self.request('DELETE', '%s/subscriptions/%s'
                     % (self.LCM, subscription_id))

    def app_pkg_subscriptions(self):
        return self._subscription_links(
            self.request('GET', self.PKGM + '/subscriptions'))

    def app_pkg_subscription(self, subscription_id):
        return self.request('GET', '%s/subscriptions/%s'
                            % (self.PKGM, subscription_id))

    def create_app_pkg_subscription(self, body):
        return self.request('POST', self.PKGM + '/subscriptions', json=body)

    def delete_app_pkg_subscription(self, subscription_id):
        self.request('DELETE', '%s/subscriptions/%s'
                     % (self.PKGM, subscription_id))
