"""Deserialization and XML parsing (SCR4xx)."""

from scrutiny.rules.base import Rule
from scrutiny.rules.deserialization.model_download_unpinned import ModelDownloadUnpinned
from scrutiny.rules.deserialization.torch_unsafe_load import TorchUnsafeLoad
from scrutiny.rules.deserialization.unsafe_deserialization import UnsafeDeserialization
from scrutiny.rules.deserialization.unsafe_yaml_load import UnsafeYamlLoad
from scrutiny.rules.deserialization.xml_entity_expansion import XmlEntityExpansion
from scrutiny.rules.deserialization.xml_unsafe_parser import XmlUnsafeParser
from scrutiny.rules.deserialization.xmlrpc_unsafe import XmlrpcUnsafe

RULES: list[type[Rule]] = [
    UnsafeDeserialization,
    UnsafeYamlLoad,
    XmlUnsafeParser,
    XmlEntityExpansion,
    XmlrpcUnsafe,
    TorchUnsafeLoad,
    ModelDownloadUnpinned,
]
