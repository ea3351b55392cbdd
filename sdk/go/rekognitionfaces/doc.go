// Amazon Rekognition face rosters as Pulumi resources: collections, users, indexed faces and which faces belong to which user.
package rekognitionfaces
