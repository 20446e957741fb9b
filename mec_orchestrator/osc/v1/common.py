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
"""What the commands share: column titles, waiting with progress."""

import itertools
import re
import sys
import time

from osc_lib import exceptions

#: Titles of ETSI attributes whose automatic title reads badly.
_TITLES = {
    'id': 'ID', 'appDId': 'AppD ID', 'appDVersion': 'AppD Version',
    'appPkgId': 'App Package ID', 'appSoftwareVersion': 'Software Version',
    'hostname': 'Hostname', '_links': 'Links',
}


def title(name):
    """A readable column title for an attribute name.

    :param name: an ETSI camelCase or snake_case attribute name.
    :returns: the title, e.g. "Onboarding State".
    """
    if name in _TITLES:
        return _TITLES[name]
    words = re.sub(r'(?<=[a-z0-9])([A-Z])', r' \1', name).replace('_', ' ')
    return ' '.join(w[:1].upper() + w[1:] for w in words.split())


#: Output formats for programs: they keep the API's attribute names.
MACHINE_FORMATS = ('json', 'yaml')


def _names(columns, parsed_args):
    if getattr(parsed_args, 'formatter', None) in MACHINE_FORMATS:
        return tuple(columns)
    return tuple(title(c) for c in columns)


def show(item, columns=None, parsed_args=None):
    """(names, values) of a dict for a ShowOne command.

    Tables show readable titles; JSON and YAML keep the API's names.

    :param item: the resource.
    :param columns: the attributes to show, in order; all by default.
    :param parsed_args: the command's arguments (for the output format).
    """
    columns = columns or sorted(k for k in item if k != '_links')
    return (_names(columns, parsed_args),
            tuple(item.get(c) for c in columns))


def listing(items, columns, parsed_args=None):
    """(names, rows) of dicts for a Lister command."""
    return (_names(columns, parsed_args),
            (tuple(i.get(c) for c in columns) for i in items))


def wait_for(fetch, state_of, done, failed, timeout, what, stream=None):
    """Poll a resource until it reaches a final state, showing progress.

    On a terminal the state and the elapsed time are redrawn on one line
    with a spinner; otherwise a plain line is written at each change.

    :param fetch: returns the resource.
    :param state_of: returns the state of a resource.
    :param done: the states that mean success.
    :param failed: a callable(resource) returning an error message, or
        None.
    :param timeout: seconds to wait.
    :param what: the resource's description, for messages.
    :returns: the resource in a done state.
    :raises: CommandError on failure or timeout.
    """
    stream = stream or sys.stderr
    tty = stream.isatty()
    start = time.monotonic()
    last = None
    spinner = itertools.cycle('|/-\\')
    while True:
        item = fetch()
        state = state_of(item)
        elapsed = time.monotonic() - start
        if tty:
            stream.write('\r%s %s: %s (%.0fs) ' % (next(spinner), what,
                                                   state, elapsed))
            stream.flush()
        elif state != last:
            stream.write('%s: %s (%.1fs)\n' % (what, state, elapsed))
        last = state
        error = failed(item)
        if error:
            if tty:
                stream.write('\n')
            raise exceptions.CommandError('%s failed: %s' % (what, error))
        if state in done:
            if tty:
                stream.write('\n')
            return item
        if elapsed > timeout:
            raise exceptions.CommandError('%s: still %s after %ds'
                                          % (what, state, timeout))
        time.sleep(0.5 if elapsed > 5 else 0.2)
