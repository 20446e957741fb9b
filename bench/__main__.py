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
"""

import argparse
import importlib
import json
import sys

BENCHMARKS = ('rpc_local', 'api_overhead', 'appd_parse', 'onboarding',
              'onboarding_memory', 'placement')


def main(argv=None):
    parser = argparse.ArgumentParser(prog='python -m bench')
    parser.add_argument('names', nargs='*', default=list(BENCHMARKS),
                        help='benchmarks to run (default: all)')
    parser.add_argument('--json', action='store_true',
                        help='print the results as JSON')
    args = parser.parse_args(argv)
    results = {}
    for name in args.names:
        module = importlib.import_module('bench.%s' % name)
        results[name] = module.run()
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for name, result in results.items():
            print('%s: %s' % (name, result['summary']))
    return 0


if __name__ == '__main__':
    sys.exit(main())
