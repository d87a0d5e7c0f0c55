package docstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// S3Options configure an S3-compatible bucket.
type S3Options struct {
	Bucket string
	// Prefix is put before every key ("kyc/prod" keeps a document under
	// kyc/prod/documents/<id>).
	Prefix string
	// Region defaults to the SDK's (AWS_REGION), else us-east-1.
	Region string
	// Endpoint is the service's URL for an S3-compatible service other
	// than AWS (MinIO, Ceph, a test fake); PathStyle addresses the bucket
	// in the path instead of the host name, as most of them need.
	Endpoint  string
	PathStyle bool
	// Credentials default to the SDK's chain (AWS_ACCESS_KEY_ID …, shared
	// files, instance and task roles).
	Credentials aws.CredentialsProvider
	// HTTPClient defaults to the SDK's.
	HTTPClient aws.HTTPClient
}

// S3OptionsFromURL reads s3://bucket/prefix?endpoint=…&region=…&use_path_style=true.
func S3OptionsFromURL(u *url.URL) (S3Options, error) {
	o := S3Options{Bucket: u.Host, Prefix: strings.Trim(u.Path, "/")}
	if o.Bucket == "" {
		return o, fmt.Errorf("document store %s: name the bucket, as in s3://bucket/prefix", u.Redacted())
	}
	if u.User != nil {
		return o, fmt.Errorf("document store %s: give credentials through the AWS_* variables or a role, not in the URL", u.Redacted())
	}
	q := u.Query()
	for k := range q {
		switch k {
		case "endpoint", "region", "use_path_style":
		default:
			return o, fmt.Errorf("document store %s: unknown parameter %q (known: endpoint, region, use_path_style)", u.Redacted(), k)
		}
	}
	o.Endpoint, o.Region = q.Get("endpoint"), q.Get("region")
	if v := q.Get("use_path_style"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return o, fmt.Errorf("document store %s: use_path_style must be true or false", u.Redacted())
		}
		o.PathStyle = b
	}
	if o.Endpoint != "" {
		if e, err := url.Parse(o.Endpoint); err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" {
			return o, fmt.Errorf("document store %s: endpoint must be an http or https URL", u.Redacted())
		}
	}
	return o, nil
}

// S3 keeps contents as objects in a bucket.
type S3 struct {
	client *s3.Client
	bucket string
	prefix string
}

// NewS3 returns the store over the bucket in o.
func NewS3(ctx context.Context, o S3Options) (*S3, error) {
	if o.Bucket == "" {
		return nil, errors.New("document store: no bucket")
	}
	var loads []func(*awsconfig.LoadOptions) error
	if o.Region != "" {
		loads = append(loads, awsconfig.WithRegion(o.Region))
	}
	if o.Credentials != nil {
		loads = append(loads, awsconfig.WithCredentialsProvider(o.Credentials))
	}
	if o.HTTPClient != nil {
		loads = append(loads, awsconfig.WithHTTPClient(o.HTTPClient))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, loads...)
	if err != nil {
		return nil, fmt.Errorf("document store: AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	client := s3.NewFromConfig(cfg, func(so *s3.Options) {
		so.UsePathStyle = o.PathStyle
		if o.Endpoint != "" {
			so.BaseEndpoint = aws.String(o.Endpoint)
			// S3-compatible services differ in the checksums they accept;
			// send and check them only where the API requires them.
			so.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
			so.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		}
	})
	return &S3{client: client, bucket: o.Bucket, prefix: o.Prefix}, nil
}

func (s *S3) key(key string) (*string, error) {
	if err := validKey(key); err != nil {
		return nil, err
	}
	if s.prefix == "" {
		return aws.String(key), nil
	}
	return aws.String(path.Join(s.prefix, key)), nil
}

// Put implements Store.
func (s *S3) Put(ctx context.Context, key string, sealed []byte) error {
	k, err := s.key(key)
	if err != nil {
		return err
	}
	_, err = s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(s.bucket), Key: k, Body: bytes.NewReader(sealed),
		ContentLength: aws.Int64(int64(len(sealed))), ContentType: aws.String("application/octet-stream"),
	})
	if err != nil {
		return fmt.Errorf("put document content: %w", err)
	}
	return nil
}

// Get implements Store.
func (s *S3) Get(ctx context.Context, key string) ([]byte, error) {
	k, err := s.key(key)
	if err != nil {
		return nil, err
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: k})
	if err != nil {
		var nsk *types.NoSuchKey
		if errors.As(err, &nsk) {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, key)
		}
		return nil, fmt.Errorf("get document content: %w", err)
	}
	defer out.Body.Close()
	return io.ReadAll(out.Body)
}

// Delete implements Store. S3 answers a deletion of a missing key with
// success.
func (s *S3) Delete(ctx context.Context, key string) error {
	k, err := s.key(key)
	if err != nil {
		return err
	}
	if _, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: k}); err != nil {
		return fmt.Errorf("delete document content: %w", err)
	}
	return nil
}
