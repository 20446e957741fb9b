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
"""Run the benchmarks: ``python -m bench [NAME...]``.

Each benchmark measures the project's code and a baseline in the same run,
on the same machine, and reports the ratio, so that figures from noisy
2-core machines can be compared.

Without names, only the benchmarks that need nothing external run; those
of ``LAB_BENCHMARKS`` need the OpenStack lab, RabbitMQ and MariaDB
(``tools/run-bench-lab.sh``) and run when named or with ``--lab``.
"""

import argparse
import importlib
import json
import sys

BENCHMARKS = ('rpc_local', 'api_overhead', 'appd_parse', 'onboarding',
              'onboarding_memory', 'placement', 'platform', 'app_lcm',
              'app_lcm_kills')
#: The benchmarks that need the lab, RabbitMQ and MariaDB.
LAB_BENCHMARKS = ('app_lcm', 'app_lcm_kills')


def main(argv=None):
    parser = argparse.ArgumentParser(prog='python -m bench')
    parser.add_argument('names', nargs='*',
                        help='benchmarks to run (default: those that need '
                             'nothing external); one of %s'
                        % ', '.join(BENCHMARKS))
    parser.add_argument('--lab', action='store_true',
                        help='also run the benchmarks that need the lab, '
                             'RabbitMQ and MariaDB (%s)'
                        % ', '.join(LAB_BENCHMARKS))
    parser.add_argument('--json', action='store_true',
                        help='print the results as JSON')
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error('unknown benchmark(s): %s' % ', '.join(unknown))
    names = args.names or [name for name in BENCHMARKS
                           if args.lab or name not in LAB_BENCHMARKS]
    results = {}
    for name in names:
        module = importlib.import_module('bench.%s' % name)
        results[name] = module.run()
    if args.json:
        print(json.dumps(results, indent=2, default=str))
    else:
        for name, result in results.items():
            print('%s: %s' % (name, result['summary']))
    # A benchmark that could not run says why, and the run fails.
    return 1 if any('skipped' in r for r in results.values()) else 0


if __name__ == '__main__':
    sys.exit(main())
