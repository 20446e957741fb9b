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
"""``openstack mec app package ...``: ETSI MEC 010-2 app packages."""

import hashlib
import os

from osc_lib.command import command
from osc_lib import exceptions

from mec_orchestrator.osc.v1 import common

LIST_COLUMNS = ('id', 'appName', 'appDId', 'onboardingState',
                'operationalState', 'usageState')
SHOW_COLUMNS = ('id', 'appName', 'appProvider', 'appDId', 'appDVersion',
                'appSoftwareVersion', 'checksum', 'onboardingState',
                'operationalState', 'usageState', 'softwareImages',
                'userDefinedData', 'onboardingFailureDetails')


def _failure(pkg):
    if pkg.get('onboardingState') == 'ERROR':
        return (pkg.get('onboardingFailureDetails') or {}).get(
            'detail', 'onboarding failed')
    return None


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b''):
            digest.update(chunk)
    return digest.hexdigest()


class CreateAppPackage(command.ShowOne):
    """Onboard an app package, from a local file or a URI."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument('--file', metavar='<path>',
                            help='Package file (CSAR) to upload.')
        source.add_argument('--uri', metavar='<uri>',
                            help='URI the orchestrator fetches the package '
                                 'from (appPkgPath).')
        parser.add_argument('--name', metavar='<name>',
                            help='Package name (appPkgName); the file name '
                                 'by default.')
        parser.add_argument('--package-version', metavar='<version>',
                            default='1.0',
                            help='Package version (appPkgVersion).')
        parser.add_argument('--provider', metavar='<provider>',
                            help='App provider.')
        parser.add_argument('--checksum', metavar='<sha256>',
                            help='SHA-256 of the package (computed for '
                                 '--file when omitted).')
        parser.add_argument('--wait', action='store_true',
                            help='Wait until the package is onboarded.')
        parser.add_argument('--timeout', type=int, default=600,
                            help='Seconds --wait waits (default 600).')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        if args.file and not os.path.isfile(args.file):
            raise exceptions.CommandError('%s is not a file' % args.file)
        name = args.name or os.path.basename(args.file or args.uri)
        body = {'appPkgName': name, 'appPkgVersion': args.package_version}
        if args.provider:
            body['appProvider'] = args.provider
        checksum = args.checksum or (_sha256(args.file) if args.file
                                     else None)
        if checksum:
            body['checksum'] = {'algorithm': 'SHA-256', 'hash': checksum}
        if args.uri:
            body['appPkgPath'] = args.uri
        pkg = client.create_app_package(body)
        if args.file:
            with open(args.file, 'rb') as f:
                client.upload_app_package(pkg['id'], f)
        if args.wait:
            pkg = common.wait_for(
                lambda: client.app_package(pkg['id']),
                lambda p: p['onboardingState'], ('ONBOARDED',), _failure,
                args.timeout, 'App package %s' % pkg['id'])
        else:
            pkg = client.app_package(pkg['id'])
        return common.show(pkg, SHOW_COLUMNS, args)


class ListAppPackage(command.Lister):
    """List app packages."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--filter', metavar='<expression>',
                            help='ETSI attribute-based filter, e.g. '
                                 '"(eq,onboardingState,ONBOARDED)".')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        return common.listing(client.app_packages(args.filter),
                              LIST_COLUMNS, args)


class _One(command.ShowOne):

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('package', metavar='<app-package-id>',
                            help='ID of the app package.')
        return parser


class ShowAppPackage(_One):
    """Show an app package."""

    def take_action(self, args):
        client = self.app.client_manager.mec
        return common.show(client.app_package(args.package),
                           SHOW_COLUMNS, args)


class EnableAppPackage(_One):
    """Enable an app package for new instances."""

    state = 'ENABLED'

    def take_action(self, args):
        client = self.app.client_manager.mec
        client.set_app_package_state(args.package, self.state)
        return common.show(client.app_package(args.package),
                           SHOW_COLUMNS, args)


class DisableAppPackage(EnableAppPackage):
    """Disable an app package: no new instances from it."""

    state = 'DISABLED'


class DeleteAppPackage(command.Command):
    """Delete app packages (they must be disabled and not in use)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('packages', metavar='<app-package-id>',
                            nargs='+', help='IDs of app packages.')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        errors = []
        for package in args.packages:
            try:
                client.delete_app_package(package)
            except exceptions.CommandError as e:
                errors.append('%s: %s' % (package, e))
        if errors:
            raise exceptions.CommandError('; '.join(errors))


class DownloadAppPackage(command.Command):
    """Download the content of an onboarded app package."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('package', metavar='<app-package-id>',
                            help='ID of the app package.')
        parser.add_argument('--file', metavar='<path>', required=True,
                            help='Where to write the package.')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        resp = client.download_app_package(args.package)
        with open(args.file, 'wb') as f:
            for chunk in resp.iter_content(1024 * 1024):
                f.write(chunk)


class ShowAppPackageAppD(command.Command):
    """Show the AppD of an onboarded app package (JSON)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('package', metavar='<app-package-id>',
                            help='ID of the app package.')
        return parser

    def take_action(self, args):
        import json
        client = self.app.client_manager.mec
        self.app.stdout.write(json.dumps(
            client.app_package_appd(args.package), indent=2,
            sort_keys=True) + '\n')
