"""R torch's data utilities: datasets, samplers, collate and the dataloader (R/utils-data*.R)."""
from ._collate import utils_data_default_collate, utils_data_default_convert
from ._dataloader import (DataLoader, dataloader, dataloader_make_iter, dataloader_next, get_worker_info,
                          is_dataloader)
from ._dataset import (Dataset, IterableDataset, dataset, dataset_subset, is_iterable_dataset, is_map_dataset,
                       iterable_dataset, tensor_dataset)
from ._iterator import exhausted, is_exhausted
from ._sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler, sampler

__all__ = [
    "BatchSampler", "DataLoader", "Dataset", "IterableDataset", "RandomSampler", "Sampler", "SequentialSampler",
    "dataloader", "dataloader_make_iter", "dataloader_next", "dataset", "dataset_subset", "exhausted",
    "get_worker_info", "is_dataloader", "is_exhausted", "is_iterable_dataset", "is_map_dataset",
    "iterable_dataset", "sampler", "tensor_dataset", "utils_data_default_collate", "utils_data_default_convert",
]
