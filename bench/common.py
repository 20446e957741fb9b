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
"""Helpers of the benchmarks."""

import statistics
import time


def timings(func, repeat, warmup=5):
    """Seconds each of repeat calls of func took, after a warm-up.

    :returns: a sorted list of durations.
    """
    for _ in range(warmup):
        func()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        out.append(time.perf_counter() - start)
    return sorted(out)


def describe(values):
    """Median and p95 of sorted durations, in milliseconds."""
    return {'median_ms': round(statistics.median(values) * 1000, 4),
            'p95_ms': round(values[int(len(values) * 0.95) - 1] * 1000, 4)}
