"""An example inventory service, insecure on purpose (reviewed by `make demo`)."""
