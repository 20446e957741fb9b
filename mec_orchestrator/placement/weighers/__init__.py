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
"""Placement weighers: each ranks the MEC hosts that passed the filters.

A weigher is loaded by its entry point name (namespace
``mec_orchestrator.placement.weighers``) from ``[placement]
enabled_weighers``. As in Nova, each weigher's raw values (higher is
better) are normalized to 0..1 (min-max; all equal gives 0), multiplied
by the weigher's multiplier, and summed.
"""

import abc


def normalize(values):
    """Min-max normalize a list of numbers to 0..1.

    :param values: a list of floats.
    :returns: a list of floats; all 0.0 when the values are all equal.
    """
    if not values:
        return []
    low, high = min(values), max(values)
    if high == low:
        return [0.0] * len(values)
    scale = 1.0 / (high - low)
    return [(v - low) * scale for v in values]


class BaseWeigher(object, metaclass=abc.ABCMeta):
    """A placement weigher.

    :param conf: the ConfigOpts holding the ``[placement]`` group.
    """

    #: The entry point name, shown in explanations.
    name = None

    def __init__(self, conf):
        self.conf = conf

    @property
    def multiplier(self):
        """The weigher's multiplier, from ``[placement]``."""
        return getattr(self.conf.placement,
                       '%s_weight_multiplier' % self.name)

    @abc.abstractmethod
    def raw_weights(self, spec, hosts):
        """The raw weight of each host, higher is better.

        :param spec: the RequestSpec.
        :param hosts: a list of HostState.
        :returns: a list of floats, one per host.
        """
