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
"""Print a TCP port free on 127.0.0.1 whose Erlang distribution port
(20000 above) is free too: for a RabbitMQ of a run's own (pifpaf)."""

import random
import socket
import sys


def main():
    for _ in range(200):
        port = random.randrange(10000, 30000)  # noqa: S311 (not a secret)
        try:
            for candidate in (port, port + 20000):
                with socket.socket() as s:
                    s.bind(('127.0.0.1', candidate))
        except OSError:
            continue
        print(port)
        return 0
    return 1


if __name__ == '__main__':
    sys.exit(main())
