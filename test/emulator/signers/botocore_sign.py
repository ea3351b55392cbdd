"""Signs a request with botocore's own SigV4 signer and prints it as JSON.

Input (stdin, JSON): url, method, headers ([[name, value], ...]), body, region,
access_key, secret_key, token (optional), presign (optional: sign in the query
string with SigV4QueryAuth).
Output (stdout, JSON): url, headers ([[name, value], ...]), body.
"""

import json
import sys

from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def main() -> None:
    spec = json.load(sys.stdin)
    request = AWSRequest(
        method=spec.get("method", "POST"),
        url=spec["url"],
        data=spec.get("body", "").encode("utf-8"),
    )
    for name, value in spec.get("headers", []):
        # HTTPHeaders appends: a repeated name keeps every value, as on the wire.
        request.headers[name] = value
    credentials = Credentials(spec["access_key"], spec["secret_key"], spec.get("token"))
    if spec.get("presign"):
        signer = SigV4QueryAuth(credentials, "rekognition", spec["region"], expires=300)
    else:
        signer = SigV4Auth(credentials, "rekognition", spec["region"])
    signer.add_auth(request)
    body = request.data
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    print(
        json.dumps(
            {
                "url": request.url,
                "headers": [[k, v] for k, v in request.headers.items()],
                "body": body or "",
            }
        )
    )


if __name__ == "__main__":
    main()
