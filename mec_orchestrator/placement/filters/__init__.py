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
"""Placement filters: each drops the MEC hosts that cannot take a request.

A filter is loaded by its entry point name (namespace
``mec_orchestrator.placement.filters``) from ``[placement]
enabled_filters``. The scheduler runs the active ones cheapest first
(:attr:`BaseFilter.cost`); each sees only the hosts the previous ones
kept. Reasons are computed only when an explanation is asked for, so the
hot path is one list comprehension per filter.
"""

import abc


class BaseFilter(object, metaclass=abc.ABCMeta):
    """A placement filter.

    :param conf: the ConfigOpts holding the ``[placement]`` group.
    """

    #: The entry point name, shown in explanations.
    name = None
    #: Relative cost per host; the scheduler runs cheap filters first.
    cost = 10

    def __init__(self, conf):
        self.conf = conf

    def active(self, spec):
        """Whether the request asks anything this filter checks.

        :param spec: the RequestSpec.
        :returns: a bool; an inactive filter is skipped.
        """
        return True

    @abc.abstractmethod
    def host_passes(self, spec, host):
        """Whether one host can take the request.

        :param spec: the RequestSpec.
        :param host: a HostState.
        :returns: a bool.
        """

    def filter_all(self, spec, hosts):
        """The hosts that pass, in their order.

        Filters override this with a comprehension over precomputed
        attributes when they can.

        :param spec: the RequestSpec.
        :param hosts: a list of HostState.
        :returns: a list of HostState.
        """
        passes = self.host_passes
        return [h for h in hosts if passes(spec, h)]

    @abc.abstractmethod
    def reason(self, spec, host):
        """Why a host fails, for a person to read.

        :param spec: the RequestSpec.
        :param host: a HostState that fails this filter.
        :returns: a string.
        """
