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
"""The API pipeline's overhead against a bare WSGI application.

Both are called in-process (webtest, no sockets): a bare application that
returns a small JSON document, and the project's full pipeline (request id,
CORS, proxy headers, body limit, noauth, pecan hooks, policy, database) for
``GET /v1/conductors`` with one conductor on SQLite.
"""

import os
import shutil
import tempfile

import webtest

from bench import common
from mec_orchestrator.api import app
from mec_orchestrator import conf
from mec_orchestrator.db import api as dbapi
from mec_orchestrator.db import migration

CONF = conf.CONF


def _bare(environ, start_response):
    start_response('200 OK', [('Content-Type', 'application/json')])
    return [b'{"conductors": []}']


def run():
    tmp = tempfile.mkdtemp(prefix='mec-bench-')
    CONF([], project='mec-orchestrator', default_config_files=[])
    CONF.set_override('auth_strategy', 'noauth')
    CONF.set_override('connection', 'sqlite:///%s' % os.path.join(tmp, 'db'),
                      group='database')
    migration.upgrade()
    dbapi.get_instance().register_conductor({'hostname': 'bench'})
    ours = webtest.TestApp(app.setup_app())
    bare = webtest.TestApp(_bare)
    try:
        ours_t = common.timings(lambda: ours.get('/v1/conductors'), 500)
        bare_t = common.timings(lambda: bare.get('/v1/conductors'), 500)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    o, b = common.describe(ours_t), common.describe(bare_t)
    return {
        'api': o, 'bare_wsgi_baseline': b,
        'ratio_api_over_bare': round(o['median_ms'] / b['median_ms'], 1),
        'summary': 'GET /v1/conductors median %.3f ms vs bare WSGI %.3f ms '
                   '(x%.1f; overhead %.3f ms)'
                   % (o['median_ms'], b['median_ms'],
                      o['median_ms'] / b['median_ms'],
                      o['median_ms'] - b['median_ms']),
    }
