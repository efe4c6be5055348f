"""What the runners need from us: forked multi_processing workers, the DaskRunner, a lean start-up."""
