// The generated Go SDK under Pulumi's mock runtime: each resource sends its
// type token and its inputs (named as the schema names them) to the engine,
// and reads back the outputs the provider returns.
package sdktest

import (
	"fmt"
	"sort"
	"sync"
	"testing"

	rf "github.com/pulumi-rekognition-faces/pulumi-rekognition-faces/sdk/go/rekognitionfaces"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	face1 = "00000000-0000-4000-8000-000000000001"
	face2 = "00000000-0000-4000-8000-000000000002"
)

type registration struct {
	inputs   resource.PropertyMap
	provider string
	custom   bool
}

// providerMocks answers as the plugin would: the inputs back, plus what each resource computes.
type providerMocks struct {
	mu         sync.Mutex
	registered map[string]registration
}

func (m *providerMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	m.registered[args.TypeToken+"::"+args.Name] = registration{args.Inputs, args.Provider, args.Custom}
	m.mu.Unlock()
	in := args.Inputs
	out := in.Copy()
	str := func(key resource.PropertyKey) string { return in[key].StringValue() }
	switch args.TypeToken {
	case "rekognition-faces:index:Collection":
		out["arn"] = resource.NewProperty("aws:rekognition:us-east-1:123456789012:collection/" + str("collectionId"))
		out["faceModelVersion"] = resource.NewProperty("7.0")
		out["faceCount"] = resource.NewProperty(0.0)
		out["userCount"] = resource.NewProperty(0.0)
		out["origin"] = resource.NewProperty("created")
		return str("collectionId"), out, nil
	case "rekognition-faces:index:User":
		out["adopt"] = resource.NewProperty(false)
		out["userStatus"] = resource.NewProperty("CREATED")
		out["origin"] = resource.NewProperty("created")
		return str("collectionId") + "/" + str("userId"), out, nil
	case "rekognition-faces:index:IndexedFace":
		out["faceId"] = resource.NewProperty(face1)
		out["boundingBox"] = resource.NewProperty(resource.NewPropertyMapFromMap(map[string]any{
			"width": 0.5, "height": 0.6, "left": 0.1, "top": 0.2,
		}))
		out["confidence"] = resource.NewProperty(99.9)
		out["imageId"] = resource.NewProperty("image-1")
		return str("collectionId") + "/" + face1, out, nil
	case "rekognition-faces:index:UserFaceAssociation":
		var ids []string
		for _, id := range in["faceIds"].ArrayValue() {
			ids = append(ids, id.StringValue())
		}
		sort.Strings(ids)
		out["faceIds"] = resource.NewProperty(resource.NewPropertyValue(ids).ArrayValue())
		out["userStatus"] = resource.NewProperty("ACTIVE")
		out["failedFaces"] = resource.NewProperty([]resource.PropertyValue{})
		out["userMatchThreshold"] = resource.NewProperty(75.0)
		out["waitForActive"] = resource.NewProperty(true)
		out["activeTimeoutSeconds"] = resource.NewProperty(300.0)
		return str("collectionId") + "/" + str("userId"), out, nil
	case "rekognition-faces:index:FaceRoster":
		users := resource.PropertyMap{}
		var names []string
		for user := range in["people"].ObjectValue() {
			users[user] = resource.NewProperty(resource.NewPropertyMapFromMap(map[string]any{
				"userId": string(user), "faceIds": []any{face2}, "userStatus": "UPDATING",
			}))
			names = append(names, string(user)+": UPDATING")
		}
		sort.Strings(names)
		n := float64(len(users))
		return "", resource.PropertyMap{
			"users": resource.NewProperty(users),
			"summary": resource.NewProperty(resource.NewPropertyMapFromMap(map[string]any{
				"people": n, "faces": n, "notActive": n, "notActivePeople": names,
			})),
		}, nil
	case "pulumi:providers:rekognition-faces":
		return "provider-id", in, nil
	}
	return "", nil, fmt.Errorf("unexpected resource type %s", args.TypeToken)
}

func (m *providerMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return nil, fmt.Errorf("unexpected call %s", args.Token)
}

// await reads an output's value inside the program.
func await[T any](t *testing.T, output pulumi.Output) T {
	t.Helper()
	ch := make(chan T, 1)
	output.ApplyT(func(v T) T { ch <- v; return v })
	return <-ch
}

func TestRoster(t *testing.T) {
	mocks := &providerMocks{registered: map[string]registration{}}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		provider, err := rf.NewProvider(ctx, "local", &rf.ProviderArgs{
			Region:     pulumi.String("us-east-1"),
			Endpoints:  rf.EndpointsArray{rf.EndpointsArgs{Rekognition: pulumi.String("http://127.0.0.1:4599")}},
			AccessKey:  pulumi.String("AKIDLOCAL"),
			SecretKey:  pulumi.String("local-secret"),
			MaxRetries: pulumi.Int(3),
			RateLimits: pulumi.Float64Map{"default": pulumi.Float64(5), "IndexFaces": pulumi.Float64(50)},
			AssumeRoles: rf.AssumeRoleArray{rf.AssumeRoleArgs{
				RoleArn:  pulumi.String("arn:aws:iam::123456789012:role/faces"),
				Duration: pulumi.String("1h"),
			}},
		})
		if err != nil {
			return err
		}
		opt := pulumi.Provider(provider)
		collection, err := rf.NewCollection(ctx, "staff", &rf.CollectionArgs{
			CollectionId: pulumi.String("staff"),
			Tags:         pulumi.StringMap{"team": pulumi.String("faces")},
		}, opt)
		if err != nil {
			return err
		}
		user, err := rf.NewUser(ctx, "alice", &rf.UserArgs{
			CollectionId: collection.CollectionId,
			UserId:       pulumi.String("alice"),
		}, opt)
		if err != nil {
			return err
		}
		face, err := rf.NewIndexedFace(ctx, "alice-1", &rf.IndexedFaceArgs{
			CollectionId:    collection.CollectionId,
			Image:           rf.ImageArgs{S3: rf.S3ObjectArgs{Bucket: pulumi.String("photos"), Key: pulumi.String("alice/1.jpg")}},
			ExternalImageId: pulumi.String("alice"),
			QualityFilter:   rf.QualityFilterHIGH,
		}, opt)
		if err != nil {
			return err
		}
		association, err := rf.NewUserFaceAssociation(ctx, "alice", &rf.UserFaceAssociationArgs{
			CollectionId: collection.CollectionId,
			UserId:       user.UserId,
			FaceIds:      pulumi.StringArray{pulumi.String(face2), face.FaceId},
			Exclusive:    pulumi.Bool(true),
		}, opt)
		if err != nil {
			return err
		}
		roster, err := rf.NewFaceRoster(ctx, "team", &rf.FaceRosterArgs{
			CollectionId: collection.CollectionId,
			People: pulumi.StringArrayMap{
				"bob":   pulumi.StringArray{pulumi.String("photos/bob-1.png")},
				"carol": pulumi.StringArray{pulumi.String("s3://photos/carol/1.jpg")},
			},
			Mode: rf.RosterMode_PER_RESOURCE,
		}, pulumi.Providers(provider))
		if err != nil {
			return err
		}

		// Outputs read back, typed as the schema types them.
		assert.Equal(t, "aws:rekognition:us-east-1:123456789012:collection/staff", await[string](t, collection.Arn))
		assert.Equal(t, rf.OriginCREATED, await[rf.Origin](t, collection.Origin))
		assert.Equal(t, 0, await[int](t, collection.FaceCount))
		assert.Equal(t, rf.UserStatusCREATED, await[rf.UserStatus](t, user.UserStatus))
		assert.Equal(t, face1, await[string](t, face.FaceId))
		assert.Equal(t, rf.BoundingBox{Width: 0.5, Height: 0.6, Left: 0.1, Top: 0.2}, await[rf.BoundingBox](t, face.BoundingBox))
		assert.Equal(t, 99.9, await[float64](t, face.Confidence))
		assert.Equal(t, []string{face1, face2}, await[[]string](t, association.FaceIds))
		assert.Equal(t, rf.UserStatusACTIVE, await[rf.UserStatus](t, association.UserStatus))
		assert.Empty(t, await[[]rf.FaceFailure](t, association.FailedFaces))
		users := await[map[string]rf.RosterUser](t, roster.Users)
		assert.Equal(t, rf.RosterUser{UserId: "bob", FaceIds: []string{face2}, UserStatus: rf.UserStatusUPDATING}, users["bob"])
		assert.Len(t, users, 2)
		assert.Equal(t, rf.RosterSummary{
			People: 2, Faces: 2, NotActive: 2, NotActivePeople: []string{"bob: UPDATING", "carol: UPDATING"},
		}, await[rf.RosterSummary](t, roster.Summary))
		return nil
	}, pulumi.WithMocks("sdk-test", "dev", mocks))
	require.NoError(t, err)

	// What the engine received: each resource's token and its inputs, named as the schema names them.
	got := func(key string) registration {
		r, ok := mocks.registered[key]
		require.True(t, ok, "no registration of %s", key)
		return r
	}
	p := got("pulumi:providers:rekognition-faces::local")
	assert.Equal(t, "us-east-1", p.inputs["region"].StringValue())
	assert.True(t, p.inputs["accessKey"].IsSecret(), "accessKey is sent as a secret")
	assert.True(t, p.inputs["secretKey"].IsSecret(), "secretKey is sent as a secret")
	assert.Equal(t, "local-secret", p.inputs["secretKey"].SecretValue().Element.StringValue())
	assert.Equal(t, 3.0, p.inputs["maxRetries"].NumberValue())
	assert.Equal(t, "http://127.0.0.1:4599",
		p.inputs["endpoints"].ArrayValue()[0].ObjectValue()["rekognition"].StringValue())
	assert.Equal(t, "arn:aws:iam::123456789012:role/faces",
		p.inputs["assumeRoles"].ArrayValue()[0].ObjectValue()["roleArn"].StringValue())
	assert.Equal(t, 50.0, p.inputs["rateLimits"].ObjectValue()["IndexFaces"].NumberValue())
	assert.NotContains(t, p.inputs, resource.PropertyKey("stackIdentity"))

	c := got("rekognition-faces:index:Collection::staff")
	assert.True(t, c.custom)
	assert.Contains(t, c.provider, "::provider-id")
	assert.Equal(t, resource.NewPropertyMapFromMap(map[string]any{
		"collectionId": "staff", "tags": map[string]any{"team": "faces"},
	}), c.inputs)
	assert.Equal(t, resource.NewPropertyMapFromMap(map[string]any{"collectionId": "staff", "userId": "alice"}),
		got("rekognition-faces:index:User::alice").inputs)
	assert.Equal(t, resource.NewPropertyMapFromMap(map[string]any{
		"collectionId":    "staff",
		"image":           map[string]any{"s3": map[string]any{"bucket": "photos", "key": "alice/1.jpg"}},
		"externalImageId": "alice",
		"qualityFilter":   "HIGH",
	}), got("rekognition-faces:index:IndexedFace::alice-1").inputs)
	assert.Equal(t, resource.NewPropertyMapFromMap(map[string]any{
		"collectionId": "staff", "userId": "alice", "faceIds": []any{face2, face1}, "exclusive": true,
	}), got("rekognition-faces:index:UserFaceAssociation::alice").inputs)
	r := got("rekognition-faces:index:FaceRoster::team")
	assert.False(t, r.custom, "FaceRoster is a component the plugin constructs")
	assert.Equal(t, resource.NewPropertyMapFromMap(map[string]any{
		"collectionId": "staff",
		"people": map[string]any{
			"bob": []any{"photos/bob-1.png"}, "carol": []any{"s3://photos/carol/1.jpg"},
		},
		"mode": "per-resource",
	}), r.inputs)
}
