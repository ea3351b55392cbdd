import com.amazonaws.DefaultRequest;
import com.amazonaws.auth.AWS4Signer;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.http.HttpMethodName;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;

/**
 * Signs a ListCollections request with the AWS SDK for Java v1's AWS4Signer, with the
 * headers that SDK's HTTP client adds before signing (User-Agent, amz-sdk-*), and
 * prints it as JSON. Produces test/emulator/signers/java-v1-request.json:
 *   javac -cp 'lib/*' JavaV1Sign.java && java -cp 'lib/*:.' JavaV1Sign http://127.0.0.1:4599 1796151600000
 * (lib/ holds com.amazonaws:aws-java-sdk-core:1.12.780 and its dependencies.)
 */
public class JavaV1Sign {
  public static void main(String[] args) throws Exception {
    String body = "{\"MaxResults\":10}";
    DefaultRequest<Void> request = new DefaultRequest<>("AmazonRekognition");
    request.setHttpMethod(HttpMethodName.POST);
    request.setEndpoint(URI.create(args[0]));
    request.setResourcePath("/");
    request.addHeader("Content-Type", "application/x-amz-json-1.1");
    request.addHeader("X-Amz-Target", "RekognitionService.ListCollections");
    request.addHeader("User-Agent", "aws-sdk-java/1.12.780 Linux/6.1 OpenJDK_64-Bit_Server_VM/17.0.15 java/17.0.15");
    request.addHeader("amz-sdk-invocation-id", "7b1c8b4e-0c7e-4b7a-9a55-3f7c2d1e6a90");
    request.addHeader("amz-sdk-retry", "0/0/500");
    request.setContent(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    AWS4Signer signer = new AWS4Signer();
    signer.setServiceName("rekognition");
    signer.setRegionName("us-east-1");
    signer.setOverrideDate(new Date(Long.parseLong(args[1])));
    signer.sign(request, new BasicAWSCredentials("AKIDLOCAL", "rekognition-local-secret"));
    StringBuilder out = new StringBuilder("{\"signedAt\":" + args[1] + ",\"body\":" + quote(body) + ",\"headers\":[");
    boolean first = true;
    for (Map.Entry<String, String> h : request.getHeaders().entrySet()) {
      out.append(first ? "" : ",").append("[").append(quote(h.getKey())).append(",").append(quote(h.getValue())).append("]");
      first = false;
    }
    System.out.println(out.append("]}"));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
