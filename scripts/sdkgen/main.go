// Generates the Python and Go SDKs of the rekognition-faces provider plugin
// from its package schema, with the code generators of the pinned Pulumi
// release (the same ones `pulumi package gen-sdk` runs).
//
// Usage: sdkgen [-schema schema.json] -out sdk
//
// The schema comes from -schema, or stdin without it; -out receives python/
// and go/, each replaced whole so a removed resource leaves no file behind.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "rekognition-faces-sdkgen"

// noReferences refuses every load: the schema references no other package,
// so a request for one is a schema error, not a reason to start plugins.
type noReferences struct{}

var errReference = errors.New("the rekognition-faces schema references no other package: remove the reference")

func (noReferences) LoadPackage(string, *semver.Version) (*schema.Package, error) {
	return nil, errReference
}

func (noReferences) LoadPackageV2(context.Context, *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, errReference
}

func (noReferences) LoadPackageReference(string, *semver.Version) (schema.PackageReference, error) {
	return nil, errReference
}

func (noReferences) LoadPackageReferenceV2(
	context.Context, *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, errReference
}

func main() {
	schemaPath := flag.String("schema", "", "the package schema (JSON); stdin when empty")
	out := flag.String("out", "", "the folder that receives python/ and go/")
	flag.Parse()
	if *out == "" {
		fail("-out is required: the folder that receives python/ and go/ (e.g. -out sdk)")
	}
	if err := run(*schemaPath, *out); err != nil {
		fail(err.Error())
	}
}

func run(schemaPath, out string) error {
	raw, err := readSchema(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("the schema is not valid JSON for a package schema: %w", err)
	}
	pkg, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{})
	if err != nil {
		return fmt.Errorf("binding the schema: %w", err)
	}
	for _, d := range diags {
		fmt.Fprintln(os.Stderr, d.Error())
	}
	if diags.HasErrors() {
		return errors.New("the schema does not bind (errors above): fix provider/plugin/schema.ts")
	}

	python, err := python.GeneratePackage(tool, pkg, nil, noReferences{})
	if err != nil {
		return fmt.Errorf("generating the Python SDK: %w", err)
	}
	// pyproject.toml names README.md beside it; the generator writes it in the
	// package folder only (provider repositories copy it up in their Makefiles).
	for name, content := range python {
		if filepath.Base(name) == "README.md" && filepath.Dir(name) != "." {
			python["README.md"] = content
			break
		}
	}
	if err := writeTree(filepath.Join(out, "python"), python); err != nil {
		return err
	}
	golang, err := gogen.GeneratePackage(tool, pkg, nil)
	if err != nil {
		return fmt.Errorf("generating the Go SDK: %w", err)
	}
	return writeTree(filepath.Join(out, "go"), golang)
}

func readSchema(path string) ([]byte, error) {
	if path == "" {
		return io.ReadAll(os.Stdin)
	}
	return os.ReadFile(path)
}

// writeTree replaces dir with exactly the generated files.
func writeTree(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "sdkgen: "+message)
	os.Exit(1)
}
