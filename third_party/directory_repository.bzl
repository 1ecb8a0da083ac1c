"""A repository made of an existing folder's entries, linked, not copied.

`local_repository(path = ...)` takes a path relative to the *main*
workspace, so it cannot name a folder inside cirque when cirque is an
external repository of someone else's workspace. This rule can: `anchor` is
a label of a file in cirque (resolved wherever cirque lives) and `path` is
taken relative to that file's folder. Without `anchor`, `path` is absolute.

The repository's top-level entries are symlinks to the folder's, so edits to
the folder show through without a refetch. When the folder is missing, the
fetch fails naming it and `fix`.
"""

def _directory_repository_impl(repository_ctx):
    if repository_ctx.attr.anchor:
        folder = repository_ctx.path(repository_ctx.attr.anchor).dirname
        for part in repository_ctx.attr.path.split("/"):
            folder = folder.get_child(part)
    else:
        folder = repository_ctx.path(repository_ctx.attr.path)
    if not folder.exists:
        fail("repository '%s': no folder at %s; %s" %
             (repository_ctx.name, folder, repository_ctx.attr.fix))
    for entry in folder.readdir():
        repository_ctx.symlink(entry, entry.basename)

directory_repository = repository_rule(
    implementation = _directory_repository_impl,
    local = True,
    attrs = {
        "anchor": attr.label(
            doc = "A file whose folder `path` is relative to. Default: none (`path` is absolute).",
        ),
        "path": attr.string(
            mandatory = True,
            doc = "The folder: relative to `anchor`'s folder, or absolute.",
        ),
        "fix": attr.string(
            default = "is the path right?",
            doc = "What to do when the folder is missing, for the error message.",
        ),
    },
    doc = "A repository whose top-level entries link to an existing folder's.",
)
