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
"""The MEC 010-2 (v2.1.1) representations of app packages, their
subscriptions and notifications.

The one place where package rows become ETSI documents, for the API's
responses and the conductor's notifications alike. Links are absolute:
callers give the base URL (the request's, or ``[api] public_endpoint``).
"""

from oslo_utils import timeutils
from oslo_utils import uuidutils

from mec_orchestrator.common import states
from mec_orchestrator.etsi import filters

BASE = '/app_pkgm/v1'

#: The complex attributes of AppPkgInfo that the selectors act on, and those
#: that exclude_default leaves out.
COMPLEX_ATTRIBUTES = ('checksum', 'softwareImages', 'additionalArtifacts',
                      'userDefinedData', 'onboardingFailureDetails')
DEFAULT_EXCLUDED = ('softwareImages', 'additionalArtifacts',
                    'userDefinedData', 'onboardingFailureDetails')

#: Attributes a filter may name.
ATTRIBUTES = ('id', 'appDId', 'appProvider', 'appName', 'appSoftwareVersion',
              'appDVersion', 'checksum', 'softwareImages',
              'additionalArtifacts', 'onboardingState', 'operationalState',
              'usageState', 'userDefinedData')

#: The specification's (v2.1.1) spelling of a subscription type, by what
#: clients send (the typo and its correction are both accepted).
SUBSCRIPTION_TYPE = {
    'AppPackageOnBoarding': 'AppPackageOnBoarding',
    'AppPacakgeOperationChange': 'AppPacakgeOperationChange',
    'AppPackageOperationChange': 'AppPacakgeOperationChange',
    'AppPackageDeletion': 'AppPackageDeletion',
}

#: Notification type -> the subscription type that receives it.
NOTIFICATION_SUBSCRIPTION = {
    'AppPackageOnBoarded': 'AppPackageOnBoarding',
    'AppPacakgeEnabled': 'AppPacakgeOperationChange',
    'AppPacakgeDisabled': 'AppPacakgeOperationChange',
    'AppPackageDeleted': 'AppPackageDeletion',
}


def _link(base_url, *parts):
    return {'href': '/'.join([base_url.rstrip('/'), BASE.strip('/')]
                             + [str(p) for p in parts])}


def _checksum(pkg):
    # The client's, else once onboarded the content's SHA-256: checksum is
    # a required attribute of an onboarded package's AppPkgInfo.
    if pkg.checksum_hash:
        return {'algorithm': pkg.checksum_algorithm,
                'hash': pkg.checksum_hash}
    if pkg.onboarding_state == states.ONBOARDED and pkg.content_sha256:
        return {'algorithm': 'SHA-256', 'hash': pkg.content_sha256}
    return None


def package_info(pkg, base_url):
    """AppPkgInfo of a package.

    Until a package is onboarded, what comes from its AppD (appDId,
    appName, versions, images) is absent, as in the later versions of the
    specification; so is its checksum unless the client gave one (once
    onboarded, the content's SHA-256 if not).

    :param pkg: the package's database row.
    :param base_url: the API's base URL.
    :returns: a dict.
    """
    info = {
        'id': pkg.id,
        'appProvider': pkg.app_provider,
        'appName': pkg.app_name,
        'appDId': pkg.app_d_id,
        'appSoftwareVersion': pkg.app_software_version,
        'appDVersion': pkg.app_d_version,
        'checksum': _checksum(pkg),
        'softwareImages': pkg.software_images,
        'additionalArtifacts': pkg.additional_artifacts,
        'onboardingState': pkg.onboarding_state,
        'operationalState': pkg.operational_state,
        'usageState': pkg.usage_state,
        'userDefinedData': pkg.user_defined_data,
        'onboardingFailureDetails': pkg.onboarding_failure,
        '_links': {'self': _link(base_url, 'app_packages', pkg.id),
                   'appD': _link(base_url, 'app_packages', pkg.id, 'appd'),
                   'appPkgContent': _link(base_url, 'app_packages', pkg.id,
                                          'package_content')},
    }
    return {k: v for k, v in info.items() if v is not None}


def subscription_info(sub, base_url):
    """AppPkgSubscriptionInfo of a subscription (never its credentials).

    :param sub: the subscription's database row.
    :param base_url: the API's base URL.
    :returns: a dict.
    """
    info = {
        'id': sub.id,
        'subscriptionType': sub.subscription_type,
        'callbackUri': sub.callback_uri,
        '_links': {'self': _link(base_url, 'subscriptions', sub.id)},
    }
    if sub.filter:
        info['appPkgFilter'] = sub.filter
    return info


def subscription_list(subs, base_url):
    """AppPkgSubscriptionLinkList.

    :param subs: the subscriptions' rows.
    :param base_url: the API's base URL.
    :returns: a dict.
    """
    return {'_links': {
        'self': _link(base_url, 'subscriptions'),
        'subscriptions': [dict(_link(base_url, 'subscriptions', s.id),
                               subsctiptionType=s.subscription_type)
                          for s in subs]}}


def notification(sub, notification_type, package_id, app_d_id,
                 operational_state, base_url):
    """An AppPkgNotification for a subscription.

    :param sub: the subscription's row.
    :param notification_type: an AppPkg.NotificationType.
    :param package_id: the package's id.
    :param app_d_id: its AppD's id.
    :param operational_state: its operational state.
    :param base_url: the API's base URL.
    :returns: a dict.
    """
    now = timeutils.utcnow(with_timezone=True)
    return {
        'id': uuidutils.generate_uuid(),
        'notificationType': notification_type,
        'subscriptionId': sub.id,
        'timeStamp': {'seconds': int(now.timestamp()),
                      'nanoSeconds': now.microsecond * 1000},
        'appPkgId': package_id,
        'appDId': app_d_id,
        'operationalState': operational_state,
        '_links': {'subscription': _link(base_url, 'subscriptions',
                                         sub.id)},
    }


def deliveries(subscriptions, notification_type, info, base_url):
    """The notifications of a package change, one per matching subscription.

    :param subscriptions: the project's app_pkgm subscription rows.
    :param notification_type: an AppPkg.NotificationType.
    :param info: the package's AppPkgInfo just after the change (for the
        subscriptions' filters and the notifications' attributes).
    :param base_url: the API's base URL.
    :returns: a list of (subscription, AppPkgNotification).
    """
    wanted = NOTIFICATION_SUBSCRIPTION[notification_type]
    out = []
    for sub in subscriptions:
        if sub.subscription_type != wanted:
            continue
        if not all(filters.matches(info, filters.parse_filter(
                expression, ATTRIBUTES)) for expression in sub.filter or ()):
            continue
        out.append((sub, notification(
            sub, notification_type, info['id'], info.get('appDId'),
            info.get('operationalState'), base_url)))
    return out
