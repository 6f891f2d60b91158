"""sqbot: a social-query bot. Posts questions, files the replies as leads, mails a digest."""

__version__ = "0.1.0"
