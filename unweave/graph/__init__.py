"""The graph stage: a network container over igraph and readers for outside files."""

from unweave.graph.network import Network, NetworkBuilder
from unweave.graph.readers import read_csv, read_graphml, read_network

__all__ = ["Network", "NetworkBuilder", "read_csv", "read_graphml", "read_network"]
