"""The generated protobuf modules (built from Tribute's proto/ when the package is installed)."""
from ._gen.tribute.attribution.v1 import attribution_pb2 as attribution
from ._gen.tribute.attribution.v1 import attribution_pb2_grpc as attribution_grpc
from ._gen.tribute.common.v1 import common_pb2 as common
from ._gen.tribute.payout.v1 import payout_pb2 as payout
from ._gen.tribute.payout.v1 import payout_pb2_grpc as payout_grpc
from ._gen.tribute.registry.v1 import registry_pb2 as registry
from ._gen.tribute.registry.v1 import registry_pb2_grpc as registry_grpc

__all__ = ["attribution", "attribution_grpc", "common", "payout", "payout_grpc", "registry", "registry_grpc"]
