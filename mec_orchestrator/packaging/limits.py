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

"""The limits a package is read under, as a plain value object.

The library never reads global configuration: callers pass a
:class:`Limits`, built from the ``[packaging]`` option group with
:meth:`Limits.from_conf`, or the defaults.
"""

import dataclasses

_MIB = 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Limits:
    """Resource limits for reading one package.

    The defaults are those of the ``[packaging]`` options.
    """

    #: Members of one archive (a nested archive has its own count).
    max_members: int = 4096
    #: Decompressed bytes of one member.
    max_member_size: int = 2048 * _MIB
    #: Decompressed bytes of all members of a package, nested ones included.
    max_total_size: int = 4096 * _MIB
    #: Decompressed / compressed size of one member.
    max_compression_ratio: int = 100
    #: The ratio is only enforced once a member produced this many bytes.
    ratio_threshold: int = _MIB
    #: Bytes of one YAML, JSON or metadata document.
    max_yaml_size: int = 2 * _MIB
    #: Nodes of one YAML document, aliases expanded.
    max_yaml_nodes: int = 200000
    #: Nesting depth of one YAML document.
    max_yaml_depth: int = 100
    #: Files a TOSCA template may import, transitively.
    max_imports: int = 64

    @classmethod
    def from_conf(cls, conf):
        """Build limits from the ``[packaging]`` option group.

        :param conf: an ``oslo_config.cfg.ConfigOpts`` on which
            :func:`mec_orchestrator.conf.packaging.register_opts` was called.
        :returns: a :class:`Limits`.
        """
        group = conf.packaging
        return cls(max_members=group.max_members,
                   max_member_size=group.max_member_size,
                   max_total_size=group.max_total_size,
                   max_compression_ratio=group.max_compression_ratio,
                   max_yaml_size=group.max_yaml_size,
                   max_yaml_nodes=group.max_yaml_nodes)


def reader_options_from_conf(conf):
    """Keyword arguments for :func:`~mec_orchestrator.packaging.read_package`.

    :param conf: an ``oslo_config.cfg.ConfigOpts`` with the ``[packaging]``
        group registered.
    :returns: a dict with ``limits``, ``trust_store``, ``allow_unsigned``
        and ``allow_manifest_mismatch``.
    """
    return {'limits': Limits.from_conf(conf),
            'trust_store': conf.packaging.trust_store,
            'allow_unsigned': conf.packaging.allow_unsigned,
            'allow_manifest_mismatch':
                conf.packaging.allow_manifest_mismatch}
