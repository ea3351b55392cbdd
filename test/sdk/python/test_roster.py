"""The generated Python SDK under Pulumi's mock runtime: each resource class
sends its type token and its inputs (camelCase, as the schema names them) to
the engine, and reads back the outputs the provider returns."""

import json

import pulumi

FACE_1 = "00000000-0000-4000-8000-000000000001"
FACE_2 = "00000000-0000-4000-8000-000000000002"
# A secret as the engine receives it (Pulumi's property-value wire form).
SECRET_SIG = "4dabf18193072939515e22adb298388d"
SECRET = "1b47061264138c4ac30d75fd1eb44270"


class ProviderMocks(pulumi.runtime.Mocks):
    """Answers as the plugin would: the inputs back, plus what each resource computes."""

    def __init__(self):
        self.registered = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        self.registered[(args.typ, args.name)] = args
        inputs = dict(args.inputs)
        typ = args.typ
        if typ == "rekognition-faces:index:Collection":
            cid = inputs["collectionId"]
            return cid, {
                **inputs,
                "arn": f"aws:rekognition:us-east-1:123456789012:collection/{cid}",
                "faceModelVersion": "7.0",
                "faceCount": 0,
                "userCount": 0,
                "origin": "created",
            }
        if typ == "rekognition-faces:index:User":
            return f"{inputs['collectionId']}/{inputs['userId']}", {
                **inputs,
                "adopt": inputs.get("adopt", False),
                "userStatus": "CREATED",
                "origin": "adopted" if inputs.get("adopt") else "created",
            }
        if typ == "rekognition-faces:index:IndexedFace":
            return f"{inputs['collectionId']}/{FACE_1}", {
                **inputs,
                "faceId": FACE_1,
                "boundingBox": {"width": 0.5, "height": 0.6, "left": 0.1, "top": 0.2},
                "confidence": 99.9,
                "imageId": "image-1",
            }
        if typ == "rekognition-faces:index:UserFaceAssociation":
            return f"{inputs['collectionId']}/{inputs['userId']}", {
                **inputs,
                "faceIds": sorted(inputs["faceIds"]),
                "userStatus": "ACTIVE",
                "failedFaces": [],
                "userMatchThreshold": inputs.get("userMatchThreshold", 75),
                "exclusive": inputs.get("exclusive", False),
                "waitForActive": True,
                "activeTimeoutSeconds": 300,
            }
        if typ == "rekognition-faces:index:FaceRoster":
            people = inputs["people"]
            return None, {
                "users": {
                    user: {"userId": user, "faceIds": [FACE_2], "userStatus": "UPDATING"} for user in people
                },
                "summary": {
                    "people": len(people),
                    "faces": len(people),
                    "notActive": len(people),
                    "notActivePeople": [f"{user}: UPDATING" for user in sorted(people)],
                },
            }
        if typ == "pulumi:providers:rekognition-faces":
            return "provider-id", inputs
        raise AssertionError(f"unexpected resource type {typ}")

    def call(self, args: pulumi.runtime.MockCallArgs):
        raise AssertionError(f"unexpected call {args.token}")


mocks = ProviderMocks()
pulumi.runtime.set_mocks(mocks, project="sdk-test", stack="dev", preview=False)

# Imported after the mocks are set, as Pulumi's testing guide does.
import pulumi_rekognition_faces as rf  # noqa: E402

provider = rf.Provider(
    "local",
    region="us-east-1",
    endpoints=[rf.EndpointsArgs(rekognition="http://127.0.0.1:4599")],
    access_key="AKIDLOCAL",
    secret_key=pulumi.Output.secret("local-secret"),
    max_retries=3,
    rate_limits={"default": 5, "IndexFaces": 50},
    assume_roles=[rf.AssumeRoleArgs(role_arn="arn:aws:iam::123456789012:role/faces", duration="1h")],
)
opts = pulumi.ResourceOptions(provider=provider)
collection = rf.Collection("staff", collection_id="staff", tags={"team": "faces"}, opts=opts)
user = rf.User("alice", collection_id=collection.collection_id, user_id="alice", opts=opts)
face = rf.IndexedFace(
    "alice-1",
    collection_id=collection.collection_id,
    image=rf.ImageArgs(s3=rf.S3ObjectArgs(bucket="photos", key="alice/1.jpg")),
    external_image_id="alice",
    quality_filter=rf.QualityFilter.HIGH,
    opts=opts,
)
association = rf.UserFaceAssociation(
    "alice",
    collection_id=collection.collection_id,
    user_id=user.user_id,
    face_ids=[FACE_2, face.face_id],
    exclusive=True,
    opts=opts,
)
roster = rf.FaceRoster(
    "team",
    collection_id=collection.collection_id,
    people={"bob": ["photos/bob-1.png"], "carol": ["s3://photos/carol/1.jpg"]},
    mode=rf.RosterMode.PER_RESOURCE,
    opts=pulumi.ResourceOptions(providers=[provider]),
)


def registered(typ, name):
    """What the engine received for a resource: read once its outputs resolved, so its registration is done."""
    return mocks.registered[(typ, name)]


@pulumi.runtime.test
def test_provider_sends_its_configuration():
    return provider.id.apply(check_provider)


def check_provider(provider_id):
    assert provider_id == "provider-id"
    inputs = registered("pulumi:providers:rekognition-faces", "local").inputs
    assert inputs["region"] == "us-east-1"
    # The schema marks the credentials secret: the SDK sends them as secrets even when given in the clear.
    assert inputs["accessKey"] == {SECRET_SIG: SECRET, "value": "AKIDLOCAL"}
    assert inputs["secretKey"] == {SECRET_SIG: SECRET, "value": "local-secret"}
    assert "stackIdentity" not in inputs
    # Provider inputs that are not strings travel JSON-encoded, as a provider receives its
    # configuration; object types arrive with the schema's (camelCase) names.
    assert inputs["maxRetries"] == "3"
    assert json.loads(inputs["endpoints"]) == [{"rekognition": "http://127.0.0.1:4599"}]
    assert json.loads(inputs["rateLimits"]) == {"default": 5, "IndexFaces": 50}
    assert json.loads(inputs["assumeRoles"]) == [
        {"roleArn": "arn:aws:iam::123456789012:role/faces", "duration": "1h"}
    ]


@pulumi.runtime.test
def test_collection():
    def check(values):
        args = registered("rekognition-faces:index:Collection", "staff")
        assert args.custom
        assert args.inputs == {"collectionId": "staff", "tags": {"team": "faces"}}
        assert args.provider.endswith("::provider-id")
        arn, origin, count = values
        assert arn == "aws:rekognition:us-east-1:123456789012:collection/staff"
        assert origin == rf.Origin.CREATED
        assert count == 0

    return pulumi.Output.all(collection.arn, collection.origin, collection.face_count).apply(check)


@pulumi.runtime.test
def test_user():
    def check(values):
        args = registered("rekognition-faces:index:User", "alice")
        assert args.inputs == {"collectionId": "staff", "userId": "alice"}
        assert args.provider.endswith("::provider-id")
        user_id, status, origin = values
        assert user_id == "alice"
        assert status == rf.UserStatus.CREATED
        assert origin == "created"

    return pulumi.Output.all(user.user_id, user.user_status, user.origin).apply(check)


@pulumi.runtime.test
def test_indexed_face():
    def check(values):
        assert registered("rekognition-faces:index:IndexedFace", "alice-1").inputs == {
            "collectionId": "staff",
            "image": {"s3": {"bucket": "photos", "key": "alice/1.jpg"}},
            "externalImageId": "alice",
            "qualityFilter": "HIGH",
        }
        face_id, confidence = values
        assert face_id == FACE_1
        assert confidence == 99.9

    def check_box(box):
        assert isinstance(box, rf.outputs.BoundingBox)
        assert (box.width, box.height, box.left, box.top) == (0.5, 0.6, 0.1, 0.2)

    # Output.all copies object outputs into plain dicts: an object output is read on its own.
    return [pulumi.Output.all(face.face_id, face.confidence).apply(check), face.bounding_box.apply(check_box)]


@pulumi.runtime.test
def test_user_face_association():
    def check(values):
        # The face ID output of the IndexedFace and the declared one, in the declared order.
        assert registered("rekognition-faces:index:UserFaceAssociation", "alice").inputs == {
            "collectionId": "staff",
            "userId": "alice",
            "faceIds": [FACE_2, FACE_1],
            "exclusive": True,
        }
        face_ids, status, failed = values
        assert face_ids == [FACE_1, FACE_2]
        assert status == "ACTIVE"
        assert failed == []

    return pulumi.Output.all(association.face_ids, association.user_status, association.failed_faces).apply(check)


@pulumi.runtime.test
def test_face_roster_is_a_component_the_plugin_constructs():
    def check_users(users):
        args = registered("rekognition-faces:index:FaceRoster", "team")
        assert not args.custom
        assert args.inputs == {
            "collectionId": "staff",
            "people": {"bob": ["photos/bob-1.png"], "carol": ["s3://photos/carol/1.jpg"]},
            "mode": "per-resource",
        }
        assert sorted(users) == ["bob", "carol"]
        assert isinstance(users["bob"], rf.outputs.RosterUser)
        assert users["bob"].face_ids == [FACE_2]
        assert users["carol"].user_status == rf.UserStatus.UPDATING

    def check_summary(summary):
        assert isinstance(summary, rf.outputs.RosterSummary)
        assert (summary.people, summary.faces, summary.not_active) == (2, 2, 2)
        assert summary.not_active_people == ["bob: UPDATING", "carol: UPDATING"]

    return [roster.users.apply(check_users), roster.summary.apply(check_summary)]
