"""R torch's utilities (`rtorch.utils.data`)."""
