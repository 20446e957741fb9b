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
"""Onboarding a 10 MB package end to end against copying its bytes.

A real all-in-one (``mec-orchestrator-aio``) is started once, in a
temporary state directory, on a free loopback port. Each run creates a
package (``POST /app_pkgm/v1/app_packages``), uploads its content over
HTTP (``PUT .../package_content``, application/zip) and polls the package
until it is ONBOARDED. The baseline, in the same run, writes the same bytes
to a file in the package store's directory (same filesystem). The
orchestrator's overhead is the median total minus the median copy; the
target is under 0.5 s.

The package is a CSAR (``TOSCA-Metadata/TOSCA.meta``, the sample JSON AppD
as the entry definitions) with a 10 MiB artifact of random bytes, stored
uncompressed. ``MEC_BENCH_ONBOARD_MB`` and ``MEC_BENCH_ONBOARD_RUNS``
override the artifact's size (MiB) and the number of runs.
"""

import contextlib
import io
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

import requests

_HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.join(os.path.dirname(_HERE), 'mec_orchestrator', 'tests',
                       'data', 'packages')
BASE = '/app_pkgm/v1'
MIB = 1024 * 1024
TOSCA_META = ('TOSCA-Meta-File-Version: 1.0\nCSAR-Version: 1.1\n'
              'Created-By: bench\nEntry-Definitions: appd.json\n')
ARTIFACT = 'Artifacts/payload.bin'
BUSY_STATES = ('CREATED', 'UPLOADING', 'PROCESSING')


def _env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


def appd_json():
    """The sample AppD (the entry definitions of the packages built)."""
    with open(os.path.join(SAMPLES, 'plain_appd.json'), 'rb') as f:
        return f.read()


def write_package(fileobj, artifact_size, chunk=MIB):
    """Write a CSAR with an artifact of random bytes (ZIP_STORED).

    The artifact is written a chunk at a time, so that a package of any
    size can be built on disk without holding it in memory.

    :param fileobj: a binary file open for writing (seekable).
    :param artifact_size: the artifact's size in bytes.
    """
    with zipfile.ZipFile(fileobj, 'w', zipfile.ZIP_STORED) as z:
        z.writestr('TOSCA-Metadata/TOSCA.meta', TOSCA_META)
        z.writestr('appd.json', appd_json())
        info = zipfile.ZipInfo(ARTIFACT, date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED
        info.file_size = artifact_size
        with z.open(info, 'w') as member:
            left = artifact_size
            while left:
                n = min(chunk, left)
                member.write(os.urandom(n))
                left -= n


def free_port():
    """A TCP port free on the loopback interface right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class AllInOne(object):
    """A ``mec-orchestrator-aio`` process in its own temporary state dir.

    Use as a context manager; the process is stopped (SIGTERM, then
    SIGKILL) and the directory removed on exit.
    """

    def __init__(self, prefix='mec-bench-aio-', config=None):
        self.tmp = tempfile.mkdtemp(prefix=prefix)
        self.state_dir = os.path.join(self.tmp, 'state')
        self.store = os.path.join(self.state_dir, 'app_packages')
        self.log_path = os.path.join(self.tmp, 'aio.log')
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.config = config
        self.process = None
        self.session = requests.Session()

    def _script(self):
        script = os.path.join(os.path.dirname(sys.executable),
                              'mec-orchestrator-aio')
        return script if os.path.exists(script) else shutil.which(
            'mec-orchestrator-aio')

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def start(self, timeout=60):
        args = [self._script(), '--port', str(self.port),
                '--state-dir', self.state_dir]
        if self.config:
            path = os.path.join(self.tmp, 'bench.conf')
            with open(path, 'w') as f:
                f.write(self.config)
            args += ['--config-file', path]
        self._log = open(self.log_path, 'wb')
        self.process = subprocess.Popen(args, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError('the all-in-one exited (%s): %s'
                                   % (self.process.returncode,
                                      self.output()[-2000:]))
            with contextlib.suppress(requests.RequestException):
                if self.session.get(self.url + '/v1/conductors',
                                    timeout=5).json()['conductors']:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError('the all-in-one did not serve in %d s'
                                   % timeout)
            time.sleep(0.1)

    def output(self):
        with open(self.log_path, 'rb') as f:
            return f.read().decode('utf-8', 'replace')

    def __exit__(self, *exc_info):
        self.session.close()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None:
            self._log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- the app package API ------------------------------------------------

    def create(self):
        resp = self.session.post(
            self.url + BASE + '/app_packages',
            json={'appPkgName': 'bench', 'appPkgVersion': '1.0'},
            timeout=30)
        resp.raise_for_status()
        return resp.json()['id']

    def upload(self, pkg_id, body, timeout=3600):
        """PUT the content (bytes or a binary file object)."""
        resp = self.session.put(
            '%s%s/app_packages/%s/package_content' % (self.url, BASE,
                                                      pkg_id),
            data=body, headers={'Content-Type': 'application/zip'},
            timeout=timeout)
        if resp.status_code != 202:
            raise RuntimeError('upload refused: %d %s'
                               % (resp.status_code, resp.text[:500]))

    def wait_onboarded(self, pkg_id, interval=0.005, timeout=3600):
        url = '%s%s/app_packages/%s' % (self.url, BASE, pkg_id)
        deadline = time.monotonic() + timeout
        while True:
            pkg = self.session.get(url, timeout=30).json()
            if pkg['onboardingState'] not in BUSY_STATES:
                break
            if time.monotonic() > deadline:
                raise RuntimeError('package %s stuck in %s'
                                   % (pkg_id, pkg['onboardingState']))
            time.sleep(interval)
        if pkg['onboardingState'] != 'ONBOARDED':
            raise RuntimeError('package %s is %s: %s'
                               % (pkg_id, pkg['onboardingState'],
                                  pkg.get('onboardingFailure')))
        return pkg

    def remove(self, pkg_id):
        """Disable and delete an onboarded package (frees the store)."""
        url = '%s%s/app_packages/%s' % (self.url, BASE, pkg_id)
        self.session.patch(
            url, json={'operationState': 'DISABLED'},
            headers={'Content-Type': 'application/merge-patch+json'},
            timeout=30).raise_for_status()
        self.session.delete(url, timeout=30).raise_for_status()


def _onboard(aio, content):
    start = time.perf_counter()
    pkg_id = aio.create()
    created = time.perf_counter()
    aio.upload(pkg_id, content)
    uploaded = time.perf_counter()
    aio.wait_onboarded(pkg_id)
    done = time.perf_counter()
    aio.remove(pkg_id)
    return {'total': done - start, 'create': created - start,
            'upload': uploaded - created, 'onboard': done - uploaded}


def _copy(store, content, chunk=MIB):
    os.makedirs(store, exist_ok=True)
    path = os.path.join(store, '.bench-copy')
    start = time.perf_counter()
    with open(path, 'wb') as f:
        shutil.copyfileobj(io.BytesIO(content), f, chunk)
    elapsed = time.perf_counter() - start
    os.unlink(path)
    return elapsed


def _median_ms(values):
    return round(statistics.median(values) * 1000, 2)


def run():
    size = _env_int('MEC_BENCH_ONBOARD_MB', 10) * MIB
    repeat = max(_env_int('MEC_BENCH_ONBOARD_RUNS', 15), 1)
    out = io.BytesIO()
    write_package(out, size)
    content = out.getvalue()
    with AllInOne() as aio:
        for _ in range(2):
            _onboard(aio, content)
            _copy(aio.store, content)
        runs, copies = [], []
        # Interleaved, so that both see the same state of the machine.
        for _ in range(repeat):
            runs.append(_onboard(aio, content))
            copies.append(_copy(aio.store, content))
    total = _median_ms([r['total'] for r in runs])
    copy = _median_ms(copies)
    overhead = total - copy
    return {
        'package_bytes': len(content), 'runs': repeat,
        'onboarding': {
            'median_ms': total,
            'max_ms': round(max(r['total'] for r in runs) * 1000, 2),
            'create_median_ms': _median_ms([r['create'] for r in runs]),
            'upload_median_ms': _median_ms([r['upload'] for r in runs]),
            'processing_median_ms': _median_ms([r['onboard']
                                                for r in runs])},
        'copy_baseline': {'median_ms': copy},
        'overhead_ms': round(overhead, 2),
        'ratio_onboarding_over_copy': round(total / copy, 1),
        'target_overhead_ms': 500,
        'within_target': overhead < 500,
        'summary': '%.1f MiB package onboarded via HTTP in median %.1f ms '
                   '(upload %.1f, processing %.1f) vs copy to the store '
                   '%.1f ms: x%.1f, overhead %.1f ms (target < 500 ms: %s)'
                   % (len(content) / MIB, total,
                      _median_ms([r['upload'] for r in runs]),
                      _median_ms([r['onboard'] for r in runs]), copy,
                      total / copy, overhead,
                      'met' if overhead < 500 else 'MISSED'),
    }
