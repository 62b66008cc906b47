package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// frame is a message forwarded without decoding it: the front does not need to know every RPC the engine and the
// legacy host speak, so a call the front does not serve itself reaches the child exactly as the engine sent it.
type frame struct{ payload []byte }

// codec passes frames through as bytes and (un)marshals real protobuf messages (RunPlugin, health) normally.
type codec struct{}

func (codec) Marshal(v any) ([]byte, error) {
	switch m := v.(type) {
	case *frame:
		return m.payload, nil
	case proto.Message:
		return proto.Marshal(m)
	default:
		return nil, fmt.Errorf("front codec: cannot marshal %T", v)
	}
}

func (codec) Unmarshal(data []byte, v any) error {
	switch m := v.(type) {
	case *frame:
		m.payload = append(m.payload[:0], data...)
		return nil
	case proto.Message:
		return proto.Unmarshal(data, m)
	default:
		return fmt.Errorf("front codec: cannot unmarshal into %T", v)
	}
}

func (codec) Name() string { return "proto" }

const maxMessageSize = 400 * 1024 * 1024 // as the Pulumi engine's own channels

// serve starts the front's gRPC server: RunPlugin is served by the front, every other call is forwarded.
func serve(child *grpc.ClientConn, cancel chan bool) (rpcutil.ServeHandle, error) {
	f := &front{child: child}
	return rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Options: []grpc.ServerOption{
			grpc.ForceServerCodec(codec{}),
			grpc.UnknownServiceHandler(f.forward),
			grpc.MaxRecvMsgSize(maxMessageSize),
			grpc.MaxSendMsgSize(maxMessageSize),
		},
		Init: func(srv *grpc.Server) error {
			// Only RunPlugin is registered; the other LanguageRuntime methods are unknown to this server and so
			// reach UnknownServiceHandler, which forwards them.
			srv.RegisterService(&grpc.ServiceDesc{
				ServiceName: "pulumirpc.LanguageRuntime",
				HandlerType: (*any)(nil),
				Streams: []grpc.StreamDesc{{
					StreamName:    "RunPlugin",
					Handler:       f.runPlugin,
					ServerStreams: true,
				}},
			}, f)
			return nil
		},
	})
}

type front struct {
	child *grpc.ClientConn
}

func (f *front) runPlugin(_ any, stream grpc.ServerStream) error {
	req := &pulumirpc.RunPluginRequest{}
	if err := stream.RecvMsg(req); err != nil {
		return err
	}
	if req.GetKind() == "analyzer" {
		return runPolicyPack(req, &grpc.GenericServerStream[pulumirpc.RunPluginRequest, pulumirpc.RunPluginResponse]{
			ServerStream: stream,
		})
	}
	// Other plugin kinds: the legacy host decides (it answers "not supported").
	payload, err := proto.Marshal(req)
	if err != nil {
		return err
	}
	return f.pump(stream, "/pulumirpc.LanguageRuntime/RunPlugin", &frame{payload: payload})
}

// forward relays any call the front does not serve to the legacy host, streaming in both directions.
func (f *front) forward(_ any, stream grpc.ServerStream) error {
	method, ok := grpc.MethodFromServerStream(stream)
	if !ok || !strings.HasPrefix(method, "/") {
		return status.Error(codes.Unimplemented, "unknown method")
	}
	return f.pump(stream, method, nil)
}

// pump opens the same method on the child and copies frames both ways. `first` is a request already read from
// the engine (RunPlugin), or nil to read every request from the engine's stream.
func (f *front) pump(stream grpc.ServerStream, method string, first *frame) error {
	ctx := stream.Context()
	if md, ok := metadata.FromIncomingContext(ctx); ok {
		ctx = metadata.NewOutgoingContext(ctx, md.Copy())
	}
	out, err := f.child.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true, ClientStreams: true}, method,
		grpc.ForceCodec(codec{}), grpc.MaxCallRecvMsgSize(maxMessageSize), grpc.MaxCallSendMsgSize(maxMessageSize))
	if err != nil {
		return err
	}

	upstream := make(chan error, 1)
	go func() {
		if first != nil {
			if err := out.SendMsg(first); err != nil {
				upstream <- err
				return
			}
			upstream <- out.CloseSend()
			return
		}
		for {
			in := &frame{}
			if err := stream.RecvMsg(in); err != nil {
				if errors.Is(err, io.EOF) {
					upstream <- out.CloseSend()
				} else {
					upstream <- err
				}
				return
			}
			if err := out.SendMsg(in); err != nil {
				upstream <- err
				return
			}
		}
	}()

	headerSent := false
	for {
		reply := &frame{}
		err := out.RecvMsg(reply)
		if !headerSent {
			if md, herr := out.Header(); herr == nil {
				_ = stream.SendHeader(md)
			}
			headerSent = true
		}
		if errors.Is(err, io.EOF) {
			stream.SetTrailer(out.Trailer())
			return nil
		}
		if err != nil {
			// The child's status (code and message) goes back to the engine unchanged.
			stream.SetTrailer(out.Trailer())
			return err
		}
		if err := stream.SendMsg(reply); err != nil {
			return err
		}
		select {
		case err := <-upstream:
			if err != nil {
				return err
			}
			upstream = nil
		default:
		}
	}
}
