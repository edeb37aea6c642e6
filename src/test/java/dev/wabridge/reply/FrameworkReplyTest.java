package dev.wabridge.reply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.reply.Draft.Invalid;
import dev.wabridge.reply.Draft.Outgoing;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The answers of common agent frameworks and model APIs reach the customer as their text, not as "key: value"
 * lines (issue 12): one test per text key, the OpenAI, Anthropic, Ollama and LangGraph shapes, the order among
 * several keys, and the seed's own format winning over all of them.
 */
class FrameworkReplyTest {
  private static final ReplyParser PARSER = new ReplyParser();

  @ParameterizedTest
  @ValueSource(strings = {"message", "text", "output", "response", "answer", "reply", "raw"})
  void eachTextKeyIsSentAsItsText(String key) {
    assertThat(texts("{\"" + key + "\": \"Hello **there**\"}")).containsExactly("Hello *there*");
  }

  @Test
  void theOtherFieldsOfTheAnswerAreNotSent() {
    // LangChain's AgentExecutor echoes the input and may carry intermediate steps
    assertThat(texts("{\"input\": \"where is my order?\", \"chat_history\": [], \"output\": \"It ships today.\", "
        + "\"intermediate_steps\": [[\"lookup\", \"A-17\"]]}")).containsExactly("It ships today.");
    // Dify's chat-messages answer
    assertThat(texts("{\"event\": \"message\", \"message_id\": \"9da23599\", \"conversation_id\": \"45701982\", "
        + "\"mode\": \"chat\", \"answer\": \"Hi, is there anything I can help you?\", \"metadata\": {\"usage\": "
        + "{\"total_tokens\": 1161}}, \"created_at\": 1705407629}"))
        .containsExactly("Hi, is there anything I can help you?");
    // CrewAI's CrewOutput (crewAIInc/crewAI src/crewai/crews/crew_output.py): raw, pydantic, json_dict, tasks_output
    assertThat(texts("{\"raw\": \"Report ready.\", \"pydantic\": null, \"json_dict\": null, \"tasks_output\": "
        + "[{\"description\": \"write\", \"raw\": \"draft\"}], \"token_usage\": {\"total_tokens\": 10}}"))
        .containsExactly("Report ready.");
    // Flowise's prediction
    assertThat(texts("{\"text\": \"Sure.\", \"question\": \"hi\", \"chatId\": \"c1\", \"sessionId\": \"s1\"}"))
        .containsExactly("Sure.");
    // Ollama's generate
    assertThat(texts("{\"model\": \"llama3\", \"response\": \"Blue.\", \"done\": true, \"context\": [1, 2]}"))
        .containsExactly("Blue.");
  }

  @Test
  void severalKeysTakeTheDocumentedOrder() {
    assertThat(texts("{\"message\": \"m\", \"raw\": \"r\"}")).containsExactly("m");
    assertThat(texts("{\"text\": \"t\", \"message\": \"m\"}")).containsExactly("t");
    assertThat(texts("{\"output\": \"o\", \"text\": \"t\"}")).containsExactly("o");
    assertThat(texts("{\"answer\": \"a\", \"output\": \"o\"}")).containsExactly("a");
    assertThat(texts("{\"response\": \"r\", \"answer\": \"a\"}")).containsExactly("r");
    assertThat(texts("{\"message\": \"m\", \"reply\": \"y\", \"response\": \"r\"}")).containsExactly("y");
    assertThat(FrameworkReply.KEYS).containsExactly("reply", "response", "answer", "output", "text", "message", "raw");
  }

  @Test
  void anAgentThatEchoesTheCallsFieldsDoesNotSendTheCustomerTheirOwnWords() {
    // wabridge's call carries "message": the customer's text; the answer's own key wins over it
    assertThat(texts("{\"message\": \"Where is my order?\", \"phone_number\": \"+1555\", \"reply\": \"On its way.\"}"))
        .containsExactly("On its way.");
  }

  @Test
  void aKeyThatIsNotAStringGivesWayToTheNext() {
    assertThat(texts("{\"output\": {\"score\": 3}, \"text\": \"fine\"}")).containsExactly("fine");
    // and with none left, the object is readable text as before
    assertThat(texts("{\"output\": {\"score\": 3}}")).singleElement().asString().startsWith("output:")
        .contains("score: 3");
  }

  @Test
  void anEmptyTextSendsNothingAndSoDoesTheNoReplySentence() {
    assertThat(parse("{\"response\": \"\", \"message\": \"Success\"}")).isEmpty();
    assertThat(parse("{\"output\": \"No CUSTOMER message reply\"}")).isEmpty();
  }

  @Test
  void theSeedsFormatComesFirst() {
    assertThat(texts("{\"type\": \"message\", \"content\": \"c\", \"message\": \"m\", \"output\": \"o\"}"))
        .containsExactly("c");
    assertThat(texts("{\"content\": \"c\", \"reply\": \"r\"}")).containsExactly("c");
    assertThat(parse("{\"content\": \"No CUSTOMER message reply\", \"reply\": \"r\"}")).isEmpty();
    // a known type is wabridge's shape, whatever else the object holds
    assertThat(parse("{\"type\": \"location\", \"latitude\": 1, \"longitude\": 2, \"text\": \"x\"}"))
        .extracting(Draft::type).containsExactly("location");
  }

  @Test
  void aTextMessageMayNameItsTextText() {
    assertThat(texts("{\"type\": \"text\", \"text\": \"Hi\"}")).containsExactly("Hi");
    assertThat(texts("{\"type\": \"message\", \"text\": \"Hi\"}")).containsExactly("Hi");
    assertThat(((Invalid) parse("{\"type\": \"text\", \"text\": 5}").getFirst()).field()).isEqualTo("content");
  }

  @Test
  void theKeysWorkInEveryItemOfSeveral() {
    // Rasa's REST channel answers a list of messages
    assertThat(texts("[{\"recipient_id\": \"u1\", \"text\": \"One\"}, {\"recipient_id\": \"u1\", \"text\": \"Two\"}]"))
        .containsExactly("One", "Two");
    assertThat(texts("{\"messages\": [{\"reply\": \"a\"}, \"b\"]}")).containsExactly("a", "b");
  }

  @Test
  void anOpenAiChatCompletionSendsItsFirstChoicesContent() {
    assertThat(texts("""
        {"id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "object": "chat.completion", "created": 1741569952,
         "model": "gpt-4.1-2025-04-14",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello! How can I **help**?",
           "refusal": null, "annotations": []}, "logprobs": null, "finish_reason": "stop"},
          {"index": 1, "message": {"role": "assistant", "content": "second choice"}, "finish_reason": "stop"}],
         "usage": {"prompt_tokens": 19, "completion_tokens": 10, "total_tokens": 29},
         "service_tier": "default"}""")).containsExactly("Hello! How can I *help*?");
  }

  @Test
  void aCompletionsRefusalContentPartsAndLegacyTextAreItsText() {
    assertThat(texts("{\"choices\": [{\"message\": {\"role\": \"assistant\", \"content\": null, "
        + "\"refusal\": \"I can't help with that.\"}}]}")).containsExactly("I can't help with that.");
    assertThat(texts("{\"choices\": [{\"message\": {\"role\": \"assistant\", \"content\": [{\"type\": \"text\", "
        + "\"text\": \"Part one, \"}, {\"type\": \"text\", \"text\": \"part two.\"}]}}]}"))
        .containsExactly("Part one, part two.");
    assertThat(texts("{\"object\": \"text_completion\", \"choices\": [{\"text\": \"Legacy.\", \"index\": 0}]}"))
        .containsExactly("Legacy.");
  }

  @Test
  void aCompletionWithoutTextIsInvalidRatherThanDumped() {
    List<Draft> drafts = parse("{\"choices\": [{\"message\": {\"role\": \"assistant\", \"content\": null, "
        + "\"tool_calls\": [{\"id\": \"call_1\", \"type\": \"function\", \"function\": {\"name\": \"f\"}}]}}]}");
    assertThat(drafts).hasSize(1);
    Invalid i = (Invalid) drafts.getFirst();
    assertThat(i.field()).isEqualTo("choices[0].message.content");
    assertThat(((Invalid) parse("[\"ok\", {\"choices\": []}]").get(1)).field())
        .isEqualTo("[1].choices[0].message.content");
  }

  @Test
  void anAnthropicMessageSendsItsTextBlocks() {
    assertThat(texts("""
        {"id": "msg_013Zva2CMHLNnXjNJJKqJ2EF", "type": "message", "role": "assistant",
         "model": "claude-sonnet-4-5", "content": [
           {"type": "thinking", "thinking": "the customer wants…", "signature": "x"},
           {"type": "text", "text": "The sky is blue"},
           {"type": "text", "text": " because of Rayleigh scattering.", "citations": []}],
         "stop_reason": "end_turn", "usage": {"input_tokens": 2095, "output_tokens": 503}}"""))
        .containsExactly("The sky is blue because of Rayleigh scattering.");
    // content that is a list but not of content blocks is still readable JSON, as before
    assertThat(texts("{\"content\": [\"tea\", \"coffee\"]}")).containsExactly("- tea\n- coffee");
  }

  @Test
  void anOllamaChatAnswerSendsItsMessagesContent() {
    assertThat(texts("{\"model\": \"llama3.2\", \"created_at\": \"2023-12-12T14:13:43.416799Z\", \"message\": "
        + "{\"role\": \"assistant\", \"content\": \"Hello! How are you today?\"}, \"done\": true}"))
        .containsExactly("Hello! How are you today?");
  }

  @Test
  void aLangGraphStateSendsItsLastAnswerOnly() {
    // LangGraph's run output is its state: the whole conversation as LangChain messages
    assertThat(texts("""
        {"messages": [
          {"type": "human", "content": "Where is my order?", "id": "4d1f"},
          {"type": "ai", "content": "", "tool_calls": [{"name": "lookup", "args": {"id": "A-17"}, "id": "call_1"}]},
          {"type": "tool", "content": "{\\"status\\": \\"shipped\\"}", "tool_call_id": "call_1"},
          {"type": "ai", "content": [{"type": "text", "text": "It **shipped** today."}], "id": "run-9"}]}"""))
        .containsExactly("It *shipped* today.");
    assertThat(texts("[{\"role\": \"system\", \"content\": \"Be brief\"}, {\"role\": \"user\", \"content\": \"hi\"}, "
        + "{\"role\": \"assistant\", \"content\": \"Hello\"}]")).containsExactly("Hello");
  }

  @Test
  void aTranscriptThatDoesNotEndInAnAnswerIsInvalid() {
    Invalid i = (Invalid) parse("{\"messages\": [{\"type\": \"human\", \"content\": \"hi\"}, {\"type\": \"ai\", "
        + "\"content\": \"Hello\"}, {\"type\": \"human\", \"content\": \"and?\"}]}").getFirst();
    assertThat(i.field()).isEqualTo("messages[2]");
    assertThat(((Invalid) parse("[{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", "
        + "\"content\": null, \"tool_calls\": []}]").getFirst()).field()).isEqualTo("[1]");
  }

  @Test
  void severalAssistantMessagesAreStillSeveralMessages() {
    assertThat(texts("[{\"role\": \"assistant\", \"content\": \"One\"}, {\"role\": \"assistant\", "
        + "\"content\": \"Two\"}]")).containsExactly("One", "Two");
    // wabridge's own several-message forms are no transcript
    assertThat(texts("{\"messages\": [{\"type\": \"message\", \"content\": \"a\"}, {\"content\": \"b\"}]}"))
        .containsExactly("a", "b");
  }

  @Test
  void theHttpAnswerAndTheCallbackReadTheSameShapes() {
    byte[] body = "{\"output\": \"from a framework\"}".getBytes(StandardCharsets.UTF_8);
    List<Draft> drafts = PARSER.parseResponse(200, "application/json", body);
    assertThat(drafts).extracting(d -> ((Outgoing) d).text()).containsExactly("from a framework");
  }

  private static List<Draft> parse(String json) {
    return PARSER.parse(Json.parse(json));
  }

  private static List<String> texts(String json) {
    List<Draft> drafts = parse(json);
    return drafts.stream().map(d -> {
      assertThat(d).isInstanceOf(Outgoing.class);
      assertThat(d.type()).isEqualTo("text");
      return ((Outgoing) d).message().get("text").get("body").asString();
    }).toList();
  }
}
