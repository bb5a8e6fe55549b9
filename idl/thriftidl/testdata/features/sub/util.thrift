include "../shared.thrift"

typedef shared.SharedStruct Wrapped

service UtilService extends shared.SharedService {
  void ping()
}
