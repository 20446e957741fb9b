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
"""The service's memory while a package with a 1 GiB artifact onboards.

A real all-in-one is started in a temporary state directory. After a
warm-up (a small package onboarded end to end, so that the lazily imported
package reader and the conductor's worker are loaded), its resident set
size is the baseline. The big package is then uploaded over loopback HTTP,
streamed from a file on disk (the benchmark never holds it in memory), and
polled until ONBOARDED, while the service's RSS is sampled; its peak
(sampled, and the kernel's ``VmHWM`` reset just before the upload) less
the baseline is the growth, whose target is under 100 MiB.

The time of upload plus onboarding is reported with its throughput, against
two baselines run alongside: copying the same package file into the store
directory, and copying it while computing its SHA-256 and SHA-512 (what the
store does to every upload).

``MEC_BENCH_BIG_MB`` sets the artifact's size in MiB (default 1024).
Temporary files are removed at the end.
"""

import hashlib
import os
import shutil
import tempfile
import threading
import time

import psutil

from bench import onboarding

MIB = onboarding.MIB


def _status_kib(pid, field):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    return None


def _reset_hwm(pid):
    """Reset the kernel's peak RSS of a process (Linux >= 4.0)."""
    try:
        with open('/proc/%d/clear_refs' % pid, 'w') as f:
            f.write('5')
        return True
    except OSError:
        return False


class FileBody(object):
    """A file sent in large chunks with its Content-Length.

    requests sends an iterable that has a length with that Content-Length,
    one chunk per ``send``; a plain file object would go out 8 KiB at a
    time, which costs the client (on the same 2 cores) more CPU.
    """

    def __init__(self, path, chunk=MIB):
        self.path = path
        self.chunk = chunk

    def __len__(self):
        return os.path.getsize(self.path)

    def __iter__(self):
        with open(self.path, 'rb') as f:
            while True:
                data = f.read(self.chunk)
                if not data:
                    return
                yield data


def _copy_and_hash(src, dst, chunk=MIB):
    """What the store must do at least: copy, SHA-256 and SHA-512."""
    sha256, sha512 = hashlib.sha256(), hashlib.sha512()
    with open(src, 'rb') as fin, open(dst, 'wb') as fout:
        while True:
            data = fin.read(chunk)
            if not data:
                break
            sha256.update(data)
            sha512.update(data)
            fout.write(data)


class Sampler(threading.Thread):
    """Samples a process's RSS until stopped; keeps the peak."""

    def __init__(self, pid, interval=0.01):
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.samples = 0
        self._stop_event = threading.Event()

    def run(self):
        while not self._stop_event.is_set():
            try:
                rss = self.process.memory_info().rss
            except psutil.Error:
                return
            self.peak = max(self.peak, rss)
            self.samples += 1
            self._stop_event.wait(self.interval)

    def stop(self):
        self._stop_event.set()
        self.join()


def run():
    size = int(os.environ.get('MEC_BENCH_BIG_MB') or 1024) * MIB
    work = tempfile.mkdtemp(prefix='mec-bench-mem-')
    try:
        path = os.path.join(work, 'big.csar')
        with open(path, 'wb') as f:
            onboarding.write_package(f, size)
        package_bytes = os.path.getsize(path)
        with onboarding.AllInOne() as aio:
            return _measure(aio, path, package_bytes, size)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _measure(aio, path, package_bytes, artifact_bytes):
    pid = aio.process.pid
    # Warm-up: load everything a first onboarding loads.
    small = tempfile.SpooledTemporaryFile()
    onboarding.write_package(small, 64 * 1024)
    small.seek(0)
    pkg_id = aio.create()
    aio.upload(pkg_id, small.read())
    aio.wait_onboarded(pkg_id)
    aio.remove(pkg_id)
    time.sleep(0.5)
    proc = psutil.Process(pid)
    baseline = proc.memory_info().rss
    hwm_reset = _reset_hwm(pid)
    hwm_before = _status_kib(pid, 'VmHWM') * 1024

    sampler = Sampler(pid)
    sampler.start()
    error = None
    try:
        start = time.perf_counter()
        pkg_id = aio.create()
        aio.upload(pkg_id, FileBody(path))
        uploaded = time.perf_counter()
        aio.wait_onboarded(pkg_id, interval=0.05)
        done = time.perf_counter()
    except RuntimeError as exc:
        error = ' '.join(str(exc).split())
    finally:
        sampler.stop()
    hwm = _status_kib(pid, 'VmHWM') * 1024
    after = proc.memory_info().rss

    # Baseline: the same bytes copied into the store directory.
    copy_path = os.path.join(aio.store, '.bench-copy')
    copy_start = time.perf_counter()
    shutil.copyfile(path, copy_path)
    copy = time.perf_counter() - copy_start
    os.unlink(copy_path)
    hash_start = time.perf_counter()
    _copy_and_hash(path, copy_path)
    copy_hash = time.perf_counter() - hash_start
    os.unlink(copy_path)

    peak = max(sampler.peak, hwm if hwm_reset else 0)
    growth = (peak - baseline) / MIB
    result = {
        'artifact_mib': artifact_bytes / MIB,
        'package_bytes': package_bytes,
        'baseline_rss_mib': round(baseline / MIB, 1),
        'peak_rss_sampled_mib': round(sampler.peak / MIB, 1),
        'vmhwm_mib': round(hwm / MIB, 1), 'vmhwm_reset': hwm_reset,
        'vmhwm_before_mib': round(hwm_before / MIB, 1),
        'rss_after_mib': round(after / MIB, 1),
        'rss_samples': sampler.samples,
        'peak_growth_mib': round(growth, 1),
        'target_growth_mib': 100,
        'within_target': error is None and growth < 100,
        'copy_baseline_s': round(copy, 3),
        'copy_sha256_sha512_baseline_s': round(copy_hash, 3),
    }
    if error is not None:
        result['error'] = error
        result['summary'] = ('%.0f MiB artifact: onboarding FAILED (%s); '
                             'peak RSS growth %.1f MiB over %.1f MiB'
                             % (artifact_bytes / MIB, error[:200], growth,
                                baseline / MIB))
        return result
    total = done - start
    result.update({
        'upload_s': round(uploaded - start, 3),
        'processing_s': round(done - uploaded, 3),
        'total_s': round(total, 3),
        'throughput_mib_s': round(package_bytes / MIB / total, 1),
        'copy_throughput_mib_s': round(package_bytes / MIB / copy, 1),
        'ratio_total_over_copy': round(total / copy, 1),
        'ratio_total_over_copy_and_hash': round(total / copy_hash, 1),
    })
    aio.remove(pkg_id)
    result['summary'] = (
        '%.0f MiB artifact: peak RSS growth %.1f MiB over %.1f MiB '
        '(target < 100 MiB: %s); upload+onboarding %.1f s (%.0f MiB/s; '
        'upload %.1f s, processing %.1f s) vs copy %.2f s: x%.1f, vs copy '
        '+ SHA-256 + SHA-512 %.2f s: x%.1f'
        % (artifact_bytes / MIB, growth, baseline / MIB,
           'met' if growth < 100 else 'MISSED', total,
           package_bytes / MIB / total, uploaded - start, done - uploaded,
           copy, total / copy, copy_hash, total / copy_hash))
    return result
