"""Photo storage behind one small interface: put(key, data, content_type), get(key) -> bytes,
delete(key).

The default backend keeps files in a local folder (UPLOAD_DIR, instance/uploads on a laptop).
Files are never served from that folder directly: the app streams them after checking who
asks (server/services/photos.py), so the folder must not be exposed by the web server.

S3-compatible storage (OSS, COS, MinIO...) plugs in as another class with the same three
methods, chosen by STORAGE_BACKEND. It is not shipped yet, to avoid pulling in boto3 before a
deployment needs it: `STORAGE_BACKEND=s3` fails at start-up with a clear message instead of
silently writing to local disk.
"""
import os
import tempfile
from pathlib import Path

from flask import current_app


class StorageError(RuntimeError):
    pass


class LocalStorage:
    def __init__(self, root):
        self.root = Path(root).resolve()

    def _path(self, key):
        path = (self.root / key).resolve()
        # Keys are ours (photos/2026/11/<uuid>.jpg); refuse anything that escapes the root.
        if self.root not in path.parents:
            raise StorageError(f"bad storage key {key!r}")
        return path

    def put(self, key, data, content_type):
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)

    def get(self, key):
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise StorageError(f"missing stored file {key!r}") from None

    def delete(self, key):
        self._path(key).unlink(missing_ok=True)


BACKENDS = {"local": lambda app: LocalStorage(app.config["UPLOAD_DIR"])}


def init_app(app):
    name = app.config.get("STORAGE_BACKEND", "local")
    if name not in BACKENDS:
        raise StorageError(f"STORAGE_BACKEND={name!r} is not available; see server/storage.py")
    app.extensions["storage"] = BACKENDS[name](app)


def storage():
    return current_app.extensions["storage"]
