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
"""Parsing and normalizing each sample AppD against ``yaml.safe_load``.

For every sample of ``mec_orchestrator/tests/data/packages``: a CSAR is
read whole with :func:`mec_orchestrator.packaging.read_package` (the
EdgeGallery ones with ``allow_manifest_mismatch=True``, as their manifests
carry placeholder digests); a YAML or JSON AppD document goes through
:func:`mec_orchestrator.packaging.read_appd_document`. The baseline, in the
same run, is ``yaml.safe_load`` of the same entry document (for a CSAR, the
entry definitions extracted from it beforehand, nested archive included).
The ratio is the median per package over the baseline's median.

``yaml.safe_load`` is PyYAML's pure-Python loader, while the package reader
parses with libyaml (``yaml.CSafeLoader``) when PyYAML has it, so a second
baseline, ``yaml.load(data, Loader=yaml.CSafeLoader)``, shows what the
reader costs beyond the C parser itself.

``MEC_BENCH_APPD_RUNS`` overrides the number of runs (default 50).
"""

import io
import os
import statistics
import zipfile

import yaml

from bench import common
from mec_orchestrator import packaging

SAMPLES = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), 'mec_orchestrator', 'tests', 'data',
    'packages')


def _member(path, inner):
    """The bytes of a member, ``a.zip!/b.yaml`` reaching into nested ZIPs."""
    parts = inner.split('!/')
    with open(path, 'rb') as f:
        data = f.read()
    for part in parts:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            data = z.read(part)
    return data


def _samples():
    """(name, parse callable, entry document bytes) for every sample."""
    out = []
    for name in sorted(os.listdir(SAMPLES)):
        path = os.path.join(SAMPLES, name)
        if name.endswith('.csar'):
            def parse(path=path):
                return packaging.read_package(path,
                                              allow_manifest_mismatch=True)
            entry = _member(path, parse().entry_definitions)
        elif name.endswith(('.yaml', '.yml', '.json')):
            with open(path, 'rb') as f:
                entry = f.read()

            def parse(data=entry, name=name):
                return packaging.read_appd_document(data, name)
        else:
            continue
        out.append((name, parse, entry))
    return out


def run():
    repeat = max(int(os.environ.get('MEC_BENCH_APPD_RUNS') or 50), 1)
    c_loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
    results = {}
    ratios, c_ratios = [], []
    for name, parse, entry in _samples():
        ours = common.describe(common.timings(parse, repeat, warmup=3))
        base = common.describe(common.timings(
            lambda entry=entry: yaml.safe_load(entry), repeat, warmup=3))
        c_base = common.describe(common.timings(
            lambda entry=entry: yaml.load(entry, Loader=c_loader),
            repeat, warmup=3))
        ratio = ours['median_ms'] / base['median_ms']
        c_ratio = ours['median_ms'] / c_base['median_ms']
        ratios.append(ratio)
        c_ratios.append(c_ratio)
        results[name] = {'parse': ours, 'safe_load_baseline': base,
                         'c_safe_load_baseline': c_base,
                         'entry_bytes': len(entry),
                         'ratio_parse_over_safe_load': round(ratio, 2),
                         'ratio_parse_over_c_safe_load': round(c_ratio, 2)}
    parts = ['%s %.2f ms (x%.2f; x%.1f)'
             % (name, r['parse']['median_ms'],
                r['ratio_parse_over_safe_load'],
                r['ratio_parse_over_c_safe_load'])
             for name, r in results.items()]
    return {
        'samples': results, 'runs': repeat,
        'ratio_median': round(statistics.median(ratios), 2),
        'ratio_c_median': round(statistics.median(c_ratios), 2),
        'summary': 'AppD parse+normalize median per package (x ratio over '
                   'yaml.safe_load of its entry document; x ratio over '
                   'CSafeLoader): %s; median ratios x%.2f and x%.1f'
                   % ('; '.join(parts), statistics.median(ratios),
                      statistics.median(c_ratios)),
    }
