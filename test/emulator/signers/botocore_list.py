"""Lists an S3 prefix with botocore's own S3 client and ListObjectsV2 paginator.

Input (stdin, JSON): endpoint, region, access_key, secret_key, bucket, prefix,
page_size. Output (stdout, JSON): pages (the KeyCount of each page) and
objects ([key, etag, size], in listing order).
"""

import json
import sys

import botocore.session
from botocore.config import Config


def main() -> None:
    spec = json.load(sys.stdin)
    client = botocore.session.get_session().create_client(
        "s3",
        endpoint_url=spec["endpoint"],
        region_name=spec["region"],
        aws_access_key_id=spec["access_key"],
        aws_secret_access_key=spec["secret_key"],
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )
    pages = []
    objects = []
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(
        Bucket=spec["bucket"],
        Prefix=spec["prefix"],
        PaginationConfig={"PageSize": spec["page_size"]},
    ):
        pages.append(page["KeyCount"])
        objects.extend([o["Key"], o["ETag"], o["Size"]] for o in page.get("Contents", []))
    print(json.dumps({"pages": pages, "objects": objects}))


if __name__ == "__main__":
    main()
