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
"""Paging and query checks of the ETSI APIs (GS MEC 009, NFV SOL013).

Filters and attribute selectors are in :mod:`mec_orchestrator.etsi.filters`.
"""

import urllib.parse

import pecan

from mec_orchestrator.api import utils
from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator import conf

CONF = conf.CONF


def page(items, query, key='id'):
    """One page of a list, with the Link header to the next one.

    :param items: the whole (filtered) list, in a stable order.
    :param query: the request's query parameters
        (``nextpage_opaque_marker``).
    :param key: the attribute identifying an item.
    :returns: the items of this page.
    """
    marker = query.get('nextpage_opaque_marker')
    start = 0
    if marker:
        ids = [item[key] for item in items]
        if marker not in ids:
            raise exception.InvalidParameterValue(
                err=_('nextpage_opaque_marker %s is not valid') % marker)
        start = ids.index(marker) + 1
    size = CONF.api.max_limit
    result = items[start:start + size]
    if start + size < len(items):
        params = {k: v for k, v in query.items()
                  if k != 'nextpage_opaque_marker'}
        params['nextpage_opaque_marker'] = result[-1][key]
        url = '%s%s?%s' % (utils.base_url(), pecan.request.path,
                           urllib.parse.urlencode(sorted(params.items())))
        pecan.response.headers['Link'] = '<%s>; rel="next"' % url
    return result


def check_query(query, allowed):
    """Refuse query parameters an ETSI resource does not take.

    :raises: InvalidParameterValue naming the unknown ones.
    """
    unknown = sorted(set(query) - set(allowed))
    if unknown:
        raise exception.InvalidParameterValue(
            err=_('Unknown query parameters: %s') % ', '.join(unknown))
