# The Gigalixir CLI imports rollbar (error reporting), which Debian does not package: a no-op.
def init(*args, **kwargs):
    pass


def report_exc_info(*args, **kwargs):
    pass


def report_message(*args, **kwargs):
    pass
